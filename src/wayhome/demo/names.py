"""Hand-written name tables in Cyrillic, Latin and Arabic, and the rules that combine them.

Every name is a combination of common given names and family-name stems, never a real
person's full name. A row reads ``Cyrillic|Latin[/variant...]|Arabic``; the first Latin
spelling is the passport style, the others are the variants other lists use
(Magomedov/Mahomedov), so that linkage has something to find.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One given name or family stem in the three scripts."""

    cyrl: str
    latn: tuple[str, ...]
    arab: str

    def latin(self, rng: random.Random) -> str:
        """The passport spelling most of the time, a list variant sometimes."""
        if len(self.latn) > 1 and rng.random() < 0.25:
            return rng.choice(self.latn[1:])
        return self.latn[0]


def _words(table: str) -> tuple[Word, ...]:
    rows = []
    for line in table.strip().splitlines():
        cyrl, latn, arab = (part.strip() for part in line.split("|"))
        rows.append(Word(cyrl, tuple(latn.split("/")), arab))
    return tuple(rows)


@dataclass(frozen=True)
class ChildName:
    """A name parents gave children born 2008-2019, spelled the way each home writes it."""

    by_style: Mapping[str, str]  # Cyrillic spelling per Cyrillic style: ru, tj, kk
    latn: tuple[str, ...]
    arab: str

    def word(self, style: str) -> Word:
        return Word(self.by_style[style], self.latn, self.arab)


def _children(table: str) -> tuple[ChildName, ...]:
    rows = []
    for line in table.strip().splitlines():
        ru, tj, kk, latn, arab = (part.strip() for part in line.split("|"))
        rows.append(ChildName({"ru": ru, "tj": tj, "kk": kk}, tuple(latn.split("/")), arab))
    return tuple(rows)


@dataclass(frozen=True)
class Nisba:
    """The "al-Dagestani" part of a nom de guerre."""

    latn: str
    cyrl: str
    arab: str


@dataclass(frozen=True)
class Culture:
    key: str
    style: str  # Cyrillic style for children's names and patronymics: ru, tj, kk
    women: tuple[Word, ...]
    men: tuple[Word, ...]
    families: tuple[Word, ...]  # masculine forms; feminine ones follow feminine_family()
    patronymic_share: float  # how often a legal name carries a patronymic


CAUCASUS = Culture(
    "caucasus",
    "ru",
    _words("""
        Аминат|Aminat|أمينات
        Патимат|Patimat|فاطمات
        Хадижат|Khadizhat/Hadizhat|خديجات
        Мадина|Madina|مدينة
        Зарема|Zarema|زاريما
        Хава|Khava/Hava|حواء
        Седа|Seda|سيدا
        Малика|Malika|مليكة
        Залина|Zalina|زالينا
        Марьям|Maryam/Mariam|مريم
        Айшат|Aishat/Ayshat|عائشات
        Луиза|Luiza|لويزا
        Зайнаб|Zaynab/Zainab|زينب
        Асият|Asiyat/Asiat|آسيات
        Фатима|Fatima|فاطمة
        Эльмира|Elmira|إلميرا
        Хеда|Kheda/Heda|خيدا
        Раисат|Raisat|رئيسات
    """),
    _words("""
        Магомед|Magomed/Mahomed/Magomet|محمد
        Ахмед|Akhmed/Ahmed|أحمد
        Умар|Umar/Umer|عمر
        Ислам|Islam|إسلام
        Саид|Said/Saeed|سعيد
        Руслан|Ruslan|روسلان
        Аслан|Aslan|أصلان
        Шамиль|Shamil|شامل
        Тимур|Timur|تيمور
        Муса|Musa|موسى
        Адам|Adam|آدم
        Алихан|Alikhan/Alihan|علي خان
        Хасан|Khasan/Hasan|حسن
        Ибрагим|Ibragim/Ibrahim|إبراهيم
        Абдулла|Abdulla/Abdullah|عبد الله
        Рустам|Rustam|رستم
        Мурад|Murad/Murat|مراد
        Заур|Zaur|زاور
    """),
    _words("""
        Алиев|Aliev/Aliyev|علييف
        Магомедов|Magomedov/Mahomedov|ماغوميدوف
        Гаджиев|Gadzhiev/Gadjiev/Hajiyev|غادجييف
        Исаев|Isaev/Isayev|عيسايف
        Абдуллаев|Abdullaev/Abdullayev|عبد اللاييف
        Омаров|Omarov|عمروف
        Рамазанов|Ramazanov|رمضانوف
        Халидов|Khalidov/Halidov|خاليدوف
        Мусаев|Musaev/Musayev|موسايف
        Ахмедов|Akhmedov/Ahmedov|أحمدوف
        Гасанов|Gasanov/Hasanov|حسنوف
        Юсупов|Yusupov/Yusupoff|يوسوبوف
        Ибрагимов|Ibragimov/Ibrahimov|إبراهيموف
        Курбанов|Kurbanov/Qurbanov|قربانوف
        Эльдаров|Eldarov|إلداروف
        Хамзатов|Khamzatov/Hamzatov|حمزاتوف
        Арсаев|Arsaev/Arsayev|أرسايف
        Цечоев|Tsechoev|تسيتشوييف
        Бекмурзаев|Bekmurzaev/Bekmurzayev|بيكمورزاييف
        Шахбанов|Shakhbanov/Shahbanov|شهبانوف
    """),
    0.9,
)

VOLGA = Culture(
    "volga",
    "ru",
    _words("""
        Алия|Aliya/Aliia|عالية
        Гульнара|Gulnara|غولنارا
        Резеда|Rezeda|ريزيدا
        Эльвира|Elvira|إلفيرا
        Лейсан|Leysan/Leisan|ليسان
        Динара|Dinara|دينارا
        Гузель|Guzel|غوزيل
        Альфия|Alfiya/Alfiia|ألفية
        Ильмира|Ilmira|إلميرا
        Айгуль|Aigul/Aygul|آيغول
    """),
    _words("""
        Ринат|Rinat|رينات
        Ильдар|Ildar|إلدار
        Айдар|Aidar/Aydar|آيدار
        Марат|Marat|مارات
        Радик|Radik|راديك
        Азат|Azat|آزات
        Рустем|Rustem|رستم
        Ильнур|Ilnur|إلنور
        Рафаэль|Rafael|رافائيل
        Тимур|Timur|تيمور
    """),
    _words("""
        Хабибуллин|Khabibullin/Habibullin|حبيب اللين
        Гарипов|Garipov|غريبوف
        Сафин|Safin|صافين
        Галиев|Galiev/Galiyev|غالييف
        Хайруллин|Khairullin/Khayrullin|خير اللين
        Нуриев|Nuriev/Nuriyev|نورييف
        Валиев|Valiev/Valiyev|ولييف
        Шарипов|Sharipov|شريبوف
        Закиров|Zakirov|ذاكيروف
        Ахметшин|Akhmetshin/Ahmetshin|أحمتشين
        Мингазов|Mingazov|مينغازوف
        Гильманов|Gilmanov|غيلمانوف
    """),
    0.9,
)

TAJIK = Culture(
    "tajik",
    "tj",
    _words("""
        Мадина|Madina|مدينة
        Зарина|Zarina|زرينة
        Нигора|Nigora|نيكارا
        Шаҳло|Shahlo/Shakhlo|شهلا
        Меҳрангез|Mehrangez/Mekhrangez|مهرانكيز
        Гулноза|Gulnoza|كلنوزة
        Ситора|Sitora|ستارة
        Мунира|Munira|منيرة
        Парвина|Parvina|بروينة
        Дилафрӯз|Dilafruz|دلافروز
        Фарзона|Farzona|فرزانة
        Ҷамила|Jamila/Dzhamila|جميلة
        Малика|Malika|مليكة
        Зулфия|Zulfiya/Zulfia|زلفية
    """),
    _words("""
        Фаррух|Farrukh/Farukh|فرخ
        Ҷамшед|Jamshed/Dzhamshed|جمشيد
        Далер|Daler|دلير
        Шералӣ|Sherali|شير علي
        Фирӯз|Firuz/Firouz|فيروز
        Бахтиёр|Bakhtiyor/Bakhtiyar|بختيار
        Комрон|Komron/Kamron|كامران
        Сӯҳроб|Suhrob/Sukhrob|سهراب
        Умед|Umed|أميد
        Нозим|Nozim|ناظم
        Абдуллоҳ|Abdulloh/Abdullo|عبد الله
        Исмоил|Ismoil/Ismail|إسماعيل
        Ҳусейн|Husein/Khusein|حسين
        Ҷӯрабек|Jurabek/Dzhurabek|جورابيك
    """),
    _words("""
        Раҳимов|Rahimov/Rakhimov|رحيموف
        Шарифзода|Sharifzoda|شريف زاده
        Назаров|Nazarov|نظروف
        Каримов|Karimov|كريموف
        Султонов|Sultonov/Sultanov|سلطانوف
        Ҳакимов|Hakimov/Khakimov|حكيموف
        Сафаров|Safarov|صفروف
        Қодиров|Qodirov/Kodirov|قاديروف
        Ғафуров|Ghafurov/Gafurov|غفوروف
        Юсуфзода|Yusufzoda|يوسف زاده
        Саидов|Saidov|سعيدوف
        Мирзоев|Mirzoev/Mirzoyev|ميرزوييف
        Олимзода|Olimzoda|عليم زاده
        Давлатов|Davlatov|دولتوف
        Нуров|Nurov|نوروف
        Ашӯров|Ashurov|عاشوروف
    """),
    0.6,
)

KAZAKH = Culture(
    "kazakh",
    "kk",
    _words("""
        Айгүл|Aigul/Aygul|آيغول
        Әсел|Assel/Asel|أسل
        Гүлнар|Gulnar|غولنار
        Дінара|Dinara|دينارا
        Жанар|Zhanar/Janar|جانار
        Салтанат|Saltanat|سلطنات
        Айжан|Aizhan/Ayzhan|آيجان
        Мөлдір|Moldir/Muldir|مولدير
        Ұлжан|Ulzhan|ولجان
        Бибігүл|Bibigul|بيبيغول
        Гүлмира|Gulmira|غولميرا
        Жансая|Zhansaya/Zhansaia|جانسايا
    """),
    _words("""
        Ерлан|Yerlan/Erlan|يرلان
        Серік|Serik|سيريك
        Нұрлан|Nurlan|نورلان
        Асқар|Askar/Asqar|عسكر
        Бауыржан|Bauyrzhan/Baurzhan|باويرجان
        Дәурен|Dauren|داورين
        Ержан|Yerzhan/Erzhan|يرجان
        Мұрат|Murat|مراد
        Талғат|Talgat|طلعت
        Қайрат|Kairat/Kayrat|خيرات
        Әділ|Adil|عادل
        Ғалым|Galym|عالم
    """),
    _words("""
        Омаров|Omarov|عمروف
        Сәрсенбаев|Sarsenbayev/Sarsenbaev|سارسينباييف
        Жұмабаев|Zhumabayev/Zhumabaev|جومابايف
        Ахметов|Akhmetov/Ahmetov|أحمتوف
        Қасымов|Kassymov/Kasymov|قاسيموف
        Тоқтаров|Toktarov|توقتاروف
        Әбдірахманов|Abdirakhmanov/Abdrakhmanov|عبد الرحمانوف
        Серікбаев|Serikbayev/Serikbaev|سيريكباييف
        Нұрғалиев|Nurgaliyev/Nurgaliev|نورغالييف
        Жақсылықов|Zhaksylykov|جاقسيليقوف
        Тұрсынов|Tursynov|تورسينوف
        Исабеков|Issabekov/Isabekov|عيسى بيكوف
        Оспанов|Ospanov|عثمانوف
        Бейсенов|Beisenov/Beysenov|بيسينوف
    """),
    0.7,
)

UZBEK = Culture(
    "uzbek",
    "ru",
    _words("""
        Дилноза|Dilnoza|دلنوزة
        Гулчеҳра|Gulchehra/Gulchekhra|غولجهرة
        Нодира|Nodira|نادرة
        Шаҳноза|Shahnoza/Shakhnoza|شهنوزة
        Феруза|Feruza|فيروزة
        Мафтуна|Maftuna|مفتونة
        Зулайҳо|Zulayho/Zulaykho|زليخة
        Барно|Barno|بارنو
    """),
    _words("""
        Алишер|Alisher|علي شير
        Бобур|Bobur/Babur|بابور
        Жасур|Jasur/Zhasur|جسور
        Улуғбек|Ulugbek/Ulughbek|أولوغبيك
        Шуҳрат|Shuhrat/Shukhrat|شهرت
        Отабек|Otabek|أوتابيك
        Санжар|Sanjar/Sanzhar|سنجر
        Абдулазиз|Abdulaziz|عبد العزيز
    """),
    _words("""
        Юсупов|Yusupov|يوسوبوف
        Тошматов|Toshmatov|طوشماتوف
        Эргашев|Ergashev|إرغاشيف
        Холматов|Kholmatov/Holmatov|خولماتوف
        Умаров|Umarov|عمروف
        Мамадалиев|Mamadaliev/Mamadaliyev|محمد علييف
        Абдураимов|Abduraimov|عبد الرحيموف
        Турсунов|Tursunov|تورسونوف
        Раҳимов|Rakhimov/Rahimov|رحيموف
        Қосимов|Kosimov/Qosimov|قاسيموف
    """),
    0.8,
)

AZERI = Culture(
    "azeri",
    "ru",
    _words("""
        Айсель|Aysel/Aisel|آيسل
        Гюнель|Gunel/Gyunel|غونل
        Лейла|Leyla/Leila|ليلى
        Севиль|Sevil|سيفيل
        Нигяр|Nigar/Nigyar|نيكار
        Айнур|Aynur/Ainur|آينور
    """),
    _words("""
        Эльнур|Elnur|إلنور
        Рашад|Rashad|رشاد
        Турал|Tural|تورال
        Эльчин|Elchin|إلجين
        Орхан|Orkhan/Orhan|أورخان
        Вугар|Vugar|فوغار
    """),
    _words("""
        Мамедов|Mamedov/Mammadov|محمدوف
        Гусейнов|Guseinov/Huseynov|حسينوف
        Гасымов|Gasymov/Gasimov|قاسيموف
        Джафаров|Dzhafarov/Jafarov|جعفروف
        Бабаев|Babaev/Babayev|بابايف
        Алиев|Aliev/Aliyev|علييف
    """),
    0.8,
)

CULTURES = {c.key: c for c in (CAUCASUS, VOLGA, TAJIK, KAZAKH, UZBEK, AZERI)}

# Russian, Tajik and Kazakh Cyrillic spellings, Latin variants, Arabic.
BOYS = _children("""
    Мухаммад|Муҳаммад|Мұхаммед|Muhammad/Mukhammad/Mohammed|محمد
    Абдуррахман|Абдураҳмон|Әбдірахман|Abdurrakhman/Abdurahmon|عبد الرحمن
    Юсуф|Юсуф|Жүсіп|Yusuf/Yusup|يوسف
    Ибрахим|Иброҳим|Ыбырайым|Ibrakhim/Ibrohim/Ibrahim|إبراهيم
    Хамза|Ҳамза|Хамза|Khamza/Hamza|حمزة
    Билал|Билол|Білал|Bilal/Bilol|بلال
    Умар|Умар|Омар|Umar/Omar|عمر
    Абдулла|Абдуллоҳ|Абдолла|Abdulla/Abdullah|عبد الله
    Салахуддин|Салоҳиддин|Салахуддин|Salakhuddin/Salohiddin|صلاح الدين
    Исмаил|Исмоил|Ысмайыл|Ismail/Ismoil|إسماعيل
    Али|Алӣ|Әли|Ali|علي
    Яхья|Яҳё|Жақия|Yakhya/Yahya|يحيى
""")
GIRLS = _children("""
    Аиша|Оиша|Айша|Aisha/Aysha/Oisha|عائشة
    Хадиджа|Хадича|Хадиша|Khadija/Hadija/Khadicha|خديجة
    Сафия|Сафия|Сафия|Safiya/Safia|صفية
    Марьям|Марям|Мәриям|Maryam/Mariam|مريم
    Асия|Осиё|Әсия|Asiya/Osiyo|آسية
    Сумайя|Сумайя|Сұмайя|Sumaya/Sumayya|سمية
    Фатима|Фотима|Фатима|Fatima/Fotima|فاطمة
    Зайнаб|Зайнаб|Зейнеп|Zaynab/Zainab/Zeinep|زينب
    Хафса|Ҳафса|Хафса|Khafsa/Hafsa|حفصة
    Амина|Омина|Әмина|Amina/Omina|آمنة
    Халима|Ҳалима|Халима|Khalima/Halima|حليمة
""")

NISBAS = {
    "Chechnya": Nisba("al-Shishani", "аш-Шишани", "الشيشاني"),
    "Dagestan": Nisba("al-Dagestani", "ад-Дагестани", "الداغستاني"),
    "Ingushetia": Nisba("al-Ingushi", "аль-Ингуши", "الانغوشي"),
    "Tatarstan": Nisba("al-Tatari", "ат-Татари", "التتاري"),
    "Bashkortostan": Nisba("al-Bashkiri", "аль-Башкири", "الباشكيري"),
    "tajik": Nisba("al-Tajiki", "ат-Таджики", "الطاجيكي"),
    "kazakh": Nisba("al-Kazakhi", "аль-Казахи", "القازاقي"),
    "uzbek": Nisba("al-Uzbeki", "аль-Узбеки", "الأوزبكي"),
    "azeri": Nisba("al-Azeri", "аль-Азери", "الأذري"),
}
CAUCASIAN_NISBA = Nisba("al-Qawqazi", "аль-Каукази", "القوقازي")

_RU_MASC_ENDINGS = ("ов", "ев", "ёв", "ин")
_LATN_MASC_ENDINGS = ("ov", "ev", "in", "off")


def feminine_family(word: Word) -> Word:
    """Алиев → Алиева, Aliyev → Aliyeva, علييف → علييفا; -зода and -ли stay as they are."""
    if not word.cyrl.endswith(_RU_MASC_ENDINGS):
        return word
    latn = tuple(
        (v[:-3] + "ova" if v.endswith("off") else v + "a") if v.endswith(_LATN_MASC_ENDINGS) else v
        for v in word.latn
    )
    return Word(word.cyrl + "а", latn, word.arab + "ا")


def patronymic(father: Word, *, female: bool, style: str) -> tuple[str, str]:
    """(Cyrillic, Latin) patronymic from the father's given name.

    Kazakh names take -қызы/-ұлы; the others the Russian -овна/-ович (-евна after a vowel
    or a soft sign), which Tajik and Uzbek passports also used.
    """
    cyrl, latn = father.cyrl, father.latn[0]
    if style == "kk":
        return (cyrl + ("қызы" if female else "ұлы"), latn + ("kyzy" if female else "uly"))
    end = cyrl[-1]
    if end in "ьй":
        stem_c, stem_l = cyrl[:-1] + "ев", latn + "ev"
    elif end in "аяоиӣ":
        stem_c, stem_l = cyrl.rstrip("ӣ") + ("ев" if end != "ӣ" else "иев"), latn + "ev"
    else:
        stem_c, stem_l = cyrl + "ов", latn + "ov"
    return (stem_c + ("на" if female else "ич"), stem_l + ("na" if female else "ich"))


def kunya(son: Word, *, female: bool) -> tuple[str, str, str]:
    """(Latin, Cyrillic, Arabic) "Umm Muhammad" / "Abu Muhammad" after a son's name."""
    if female:
        return (f"Umm {son.latn[0]}", f"Умм {son.cyrl}", f"أم {son.arab}")
    return (f"Abu {son.latn[0]}", f"Абу {son.cyrl}", f"أبو {son.arab}")
