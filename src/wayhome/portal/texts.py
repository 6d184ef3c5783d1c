"""The relatives' page after the code, in the inquirer's own language.

The site's interface speaks English, Russian and Arabic; relatives also write Tajik and
Kazakh. So the few sentences a relative reads about their request live here, in all
five languages, rather than in the gettext catalogues. Plain words, no jargon; a death
is never announced on a web page (a caseworker tells the family in person); a facility
is named only when the policy allows (``WAYHOME_PORTAL_SHOW_FACILITY``), otherwise only
the country.
"""

from __future__ import annotations

from wayhome.people.models import Person, Sex, Status
from wayhome.portal import conf
from wayhome.tracing.models import TracingRequest

LANGS = ("ru", "tg", "kk", "en", "ar")

UI: dict[str, dict[str, str]] = {
    "title": {
        "en": "Your request",
        "ru": "Ваше обращение",
        "tg": "Дархости шумо",
        "kk": "Сіздің өтінішіңіз",
        "ar": "طلبكم",
    },
    "received": {
        "en": "Received on",
        "ru": "Получено",
        "tg": "Қабул шуд",
        "kk": "Қабылданған күні",
        "ar": "تاريخ الاستلام",
    },
    "sought": {
        "en": "The people you are looking for",
        "ru": "Люди, которых вы ищете",
        "tg": "Шахсоне, ки шумо ҷустуҷӯ мекунед",
        "kk": "Сіз іздеп жүрген адамдар",
        "ar": "الأشخاص الذين تبحثون عنهم",
    },
    "send": {
        "en": "Send us new information",
        "ru": "Сообщите нам новые сведения",
        "tg": "Ба мо маълумоти нав фиристед",
        "kk": "Бізге жаңа мәлімет жіберіңіз",
        "ar": "أرسلوا إلينا معلومات جديدة",
    },
    "send_help": {
        "en": "A message you received, a call, a letter, a photograph: a caseworker will read it.",
        "ru": "Полученное сообщение, звонок, письмо, фотография: наш сотрудник всё прочитает.",
        "tg": "Паёме, ки гирифтед, занг, нома, акс: корманди мо онро мехонад.",
        "kk": "Алған хабарыңыз, қоңырау, хат, фотосурет: қызметкеріміз оны оқиды.",
        "ar": "رسالة وصلتكم، مكالمة، رسالة مكتوبة، صورة: سيقرؤها أحد موظفينا.",
    },
    "message": {
        "en": "Your message",
        "ru": "Ваше сообщение",
        "tg": "Паёми шумо",
        "kk": "Сіздің хабарыңыз",
        "ar": "رسالتكم",
    },
    "photo": {
        "en": "A photograph (optional)",
        "ru": "Фотография (если есть)",
        "tg": "Акс (агар бошад)",
        "kk": "Фотосурет (болса)",
        "ar": "صورة (اختياري)",
    },
    "submit": {
        "en": "Send",
        "ru": "Отправить",
        "tg": "Фиристодан",
        "kk": "Жіберу",
        "ar": "إرسال",
    },
    "thanks": {
        "en": "Thank you. We have received it; a caseworker will read it.",
        "ru": "Спасибо. Мы получили ваше сообщение; наш сотрудник его прочитает.",
        "tg": "Ташаккур. Мо паёми шуморо гирифтем; корманди мо онро мехонад.",
        "kk": "Рахмет. Хабарыңызды алдық; қызметкеріміз оны оқиды.",
        "ar": "شكرًا لكم. وصلتنا رسالتكم وسيقرؤها أحد موظفينا.",
    },
    "end": {
        "en": "Leave this page",
        "ru": "Выйти",
        "tg": "Баромадан",
        "kk": "Шығу",
        "ar": "الخروج",
    },
    "private": {
        "en": "For your safety, access to this page ends by itself after a few minutes.",
        "ru": "Для вашей безопасности доступ к этой странице закончится сам через несколько минут.",
        "tg": "Барои бехатарии шумо дастрасӣ ба ин саҳифа пас аз чанд дақиқа "
        "худ аз худ қатъ мешавад.",
        "kk": "Қауіпсіздігіңіз үшін бұл бетке кіру бірнеше минуттан кейін өздігінен аяқталады.",
        "ar": "حرصًا على سلامتكم، ينتهي الدخول إلى هذه الصفحة تلقائيًا بعد دقائق.",
    },
}

# Shown on the first page in every language, before we know whose request it is.
INTRO: dict[str, str] = {
    "ru": "Новости о вашем обращении: введите его номер, и мы пришлём вам код.",
    "tg": "Хабар дар бораи дархости шумо: рақами онро ворид кунед, мо ба шумо рамз мефиристем.",
    "kk": "Өтінішіңіз туралы жаңалық: оның нөмірін енгізіңіз, біз сізге код жібереміз.",
    "en": "News about your request: enter its reference and we will send you a code.",
    "ar": "أخبار عن طلبكم: أدخلوا رقم الطلب وسنرسل إليكم رمزًا.",
}


def intro() -> list[tuple[str, str, str]]:
    """(language, direction, sentence) for every language, for the first page."""
    return [(lang, "rtl" if lang == "ar" else "ltr", INTRO[lang]) for lang in LANGS]


REQUEST_STATE: dict[str, dict[str, str]] = {
    "open": {
        "en": "We are looking for your relatives. We will tell you as soon as there is news.",
        "ru": "Мы ищем ваших близких. Как только появятся новости, мы вам сообщим.",
        "tg": "Мо наздиконатонро ҷустуҷӯ дорем. Ҳамин ки хабар шавад, ба шумо мегӯем.",
        "kk": "Біз жақындарыңызды іздеп жатырмыз. Жаңалық болған бойда сізге хабарлаймыз.",
        "ar": "نحن نبحث عن أقاربكم. سنخبركم فور وصول أي أخبار.",
    },
    "located": {
        "en": "We have found out where your relatives are. A caseworker will contact you.",
        "ru": "Мы узнали, где находятся ваши близкие. Наш сотрудник свяжется с вами.",
        "tg": "Мо фаҳмидем, ки наздиконатон дар куҷоянд. Корманди мо бо шумо тамос мегирад.",
        "kk": "Жақындарыңыздың қайда екенін білдік. Қызметкеріміз сізбен хабарласады.",
        "ar": "علمنا مكان أقاربكم. سيتواصل معكم أحد موظفينا.",
    },
    "reunited": {
        "en": "This request is closed: your family is together again.",
        "ru": "Обращение закрыто: ваша семья снова вместе.",
        "tg": "Дархост баста шуд: оилаи шумо боз якҷост.",
        "kk": "Өтініш жабылды: отбасыңыз қайта қауышты.",
        "ar": "أُغلق هذا الطلب: عادت أسرتكم مجتمعة.",
    },
    "closed": {
        "en": "This request is closed. If you have a question, please contact us.",
        "ru": "Обращение закрыто. Если у вас есть вопросы, свяжитесь с нами.",
        "tg": "Дархост баста шуд. Агар савол дошта бошед, бо мо тамос гиред.",
        "kk": "Өтініш жабылды. Сұрағыңыз болса, бізбен хабарласыңыз.",
        "ar": "أُغلق هذا الطلب. إن كان لديكم أي سؤال، يُرجى التواصل معنا.",
    },
}

# {where}: a place phrase from WHERE (or the facility), or nothing.
PERSON_STATE: dict[str, dict[str, str]] = {
    "none": {
        "en": "No confirmed news yet. We are still looking.",
        "ru": "Подтверждённых сведений пока нет. Мы продолжаем поиски.",
        "tg": "Ҳоло хабари тасдиқшуда нест. Мо ҷустуҷӯро идома медиҳем.",
        "kk": "Әзірге расталған мәлімет жоқ. Біз іздеуді жалғастырып жатырмыз.",
        "ar": "لا توجد أخبار مؤكدة حتى الآن. ما زلنا نبحث.",
    },
    Status.DETAINED: {
        "en": "Held{where}.",
        "ru": "Находится под стражей{where}.",
        "tg": "{where} дар ҳабс аст.",
        "kk": "{where} қамауда.",
        "ar": "رهن الاحتجاز{where}.",
    },
    Status.IN_CAMP: {
        "en": "In a camp{where}.",
        "ru": "Находится в лагере{where}.",
        "tg": "{where} дар лагер аст.",
        "kk": "{where} лагерьде.",
        "ar": "في مخيم{where}.",
    },
    Status.ON_TRIAL: {
        "en": "Held{where}; the court case is not finished.",
        "ru": "Находится под стражей{where}; суд ещё не закончен.",
        "tg": "{where} дар ҳабс аст; мурофиаи судӣ ҳанӯз тамом нашудааст.",
        "kk": "{where} қамауда; сот әлі аяқталған жоқ.",
        "ar": "رهن الاحتجاز{where}، ولم تنتهِ القضية أمام المحكمة بعد.",
    },
    Status.SENTENCED: {
        "en": "Held{where}; the court has decided. A caseworker will explain it to you.",
        "ru": "Находится под стражей{where}; суд вынес решение. Наш сотрудник объяснит его вам.",
        "tg": "{where} дар ҳабс аст; суд қарор баровард. Корманди мо онро ба шумо мефаҳмонад.",
        "kk": "{where} қамауда; сот шешім шығарды. Қызметкеріміз оны сізге түсіндіреді.",
        "ar": "رهن الاحتجاز{where}، وقد أصدرت المحكمة قرارها. سيشرحه لكم أحد موظفينا.",
    },
    Status.RELEASED: {
        "en": "Released{where}.",
        "ru": "Находится на свободе{where}.",
        "tg": "{where} озод шудааст.",
        "kk": "{where} бостандықта.",
        "ar": "أُطلق سراحه{where}.",
    },
    f"{Status.RELEASED}_f": {"ar": "أُطلق سراحها{where}."},
    Status.REPATRIATED: {
        "en": "Back home.",
        "ru": "Уже дома.",
        "tg": "Аллакай дар хона аст.",
        "kk": "Қазір үйде.",
        "ar": "عاد إلى الوطن.",
    },
    f"{Status.REPATRIATED}_f": {"ar": "عادت إلى الوطن."},
    Status.DECEASED: {
        "en": "We have important news that we want to tell you in person. A caseworker will "
        "contact you; you can also call us.",
        "ru": "У нас есть важные новости, которые мы хотим сообщить вам лично. Наш сотрудник "
        "свяжется с вами; вы также можете позвонить нам.",
        "tg": "Мо хабари муҳиме дорем, ки мехоҳем шахсан ба шумо гӯем. Корманди мо бо шумо "
        "тамос мегирад; шумо ҳам метавонед ба мо занг занед.",
        "kk": "Бізде сізге жеке айтқымыз келетін маңызды жаңалық бар. Қызметкеріміз сізбен "
        "хабарласады; сіз де бізге қоңырау шала аласыз.",
        "ar": "لدينا أخبار مهمة نريد أن نبلغكم بها شخصيًا. سيتواصل معكم أحد موظفينا، ويمكنكم "
        "أيضًا الاتصال بنا.",
    },
}

# Country by ISO code: the place phrase each language needs ("in Iraq", "в Ираке").
WHERE: dict[str, dict[str, str]] = {
    "IQ": {
        "en": " in Iraq",
        "ru": " в Ираке",
        "tg": "дар Ироқ",
        "kk": "Иракта",
        "ar": " في العراق",
    },
    "SY": {
        "en": " in Syria",
        "ru": " в Сирии",
        "tg": "дар Сурия",
        "kk": "Сирияда",
        "ar": " في سوريا",
    },
    "TR": {
        "en": " in Turkey",
        "ru": " в Турции",
        "tg": "дар Туркия",
        "kk": "Түркияда",
        "ar": " في تركيا",
    },
}
# Languages whose sentence starts with the place ("{where} дар ҳабс аст").
_PLACE_FIRST = ("tg", "kk")


def lang_of(request: TracingRequest) -> str:
    language = request.inquirer.language
    return language if language in LANGS else "en"


def ui(lang: str) -> dict[str, str]:
    return {key: by_lang.get(lang, by_lang["en"]) for key, by_lang in UI.items()}


def request_state(request: TracingRequest, lang: str) -> str:
    if request.status == TracingRequest.State.CLOSED:
        key = "reunited" if request.closure_reason == TracingRequest.Closure.REUNITED else "closed"
    else:
        key = str(request.status)
    return REQUEST_STATE[key][lang]


def _where(person: Person, lang: str) -> str:
    facility = person.current_facility
    if facility is None:
        return ""
    if conf.show_facility():
        name = facility.name_local if lang == "ar" and facility.name_local else facility.name
        return f" {name}" if lang not in _PLACE_FIRST else name
    country = facility.country
    phrases = WHERE.get(country.iso2)
    if phrases is not None:
        return phrases[lang]
    return f" ({country.name})" if lang not in _PLACE_FIRST else f"({country.name})"


def person_state(person: Person, lang: str) -> str:
    """One plain sentence about where a sought person stands."""
    status = person.current_status
    key = status if status in PERSON_STATE else "none"
    by_lang = PERSON_STATE[key]
    if person.sex == Sex.FEMALE and f"{key}_f" in PERSON_STATE:
        by_lang = {**by_lang, **PERSON_STATE[f"{key}_f"]}
    sentence = by_lang.get(lang, by_lang["en"]).format(where=_where(person, lang)).strip()
    return sentence[:1].upper() + sentence[1:]
