"""What a relative reads: the built-in wording of every message, and its placeholders.

Written for a mother or a grandmother who has waited years for news: plain words, no
jargon, no names. A message never names the person sought nor says where they are held:
a phone or a mailbox may be read by others, and an SMS passes through a gateway's logs.
Details are given by a caseworker, by phone, or on the relatives' page after a code.

An agency's administrator may replace any of these (``MessageTemplate``); the text
here is what is used while they have not.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wayhome.comms.models import Channel, Kind

# The placeholders each kind of message may use. None of them is personal data.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    **{k: frozenset({"reference", "agency", "portal_url"}) for k in Kind.values},
    Kind.PORTAL_CODE: frozenset({"code", "agency", "minutes"}),
}
# A placeholder a template of this kind cannot do without.
REQUIRED: dict[str, frozenset[str]] = {Kind.PORTAL_CODE: frozenset({"code"})}
MAX_SMS = 480  # about seven Cyrillic SMS parts; beyond that phones and gateways struggle
MAX_EMAIL = 5000

# kind -> language -> (e-mail subject, text)
DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    Kind.LOCATED: {
        "en": (
            "News about your request {reference}",
            "Hello. We have found out where the person you are looking for is (request "
            "{reference}). A caseworker will contact you soon to tell you what we know and "
            "what happens next. You can see the status of your request here: {portal_url} "
            "— {agency}",
        ),
        "ru": (
            "Новости по вашему обращению {reference}",
            "Здравствуйте. Мы узнали, где находится человек, которого вы ищете (обращение "
            "{reference}). Наш сотрудник скоро свяжется с вами, расскажет, что нам известно, "
            "и что будет дальше. Статус обращения можно посмотреть здесь: {portal_url} "
            "— {agency}",
        ),
        "tg": (
            "Хабар оид ба дархости шумо {reference}",
            "Ассалому алейкум. Мо фаҳмидем, ки шахсе, ки шумо ҷустуҷӯ мекунед, дар куҷост "
            "(дархости {reference}). Корманди мо ба зудӣ бо шумо тамос гирифта, мефаҳмонад, "
            "ки мо чӣ медонем ва минбаъд чӣ мешавад. Ҳолати дархостро дар ин ҷо дидан мумкин "
            "аст: {portal_url} — {agency}",
        ),
        "kk": (
            "Өтінішіңіз бойынша жаңалық {reference}",
            "Сәлеметсіз бе. Сіз іздеп жүрген адамның қайда екенін білдік (өтініш "
            "{reference}). Қызметкеріміз жақын арада сізбен хабарласып, не білетінімізді "
            "және әрі қарай не болатынын түсіндіреді. Өтініштің күйін мына жерден көруге "
            "болады: {portal_url} — {agency}",
        ),
        "ar": (
            "أخبار عن طلبكم {reference}",
            "السلام عليكم. علمنا مكان الشخص الذي تبحثون عنه (الطلب {reference}). سيتواصل "
            "معكم أحد موظفينا قريبًا ليخبركم بما نعرفه وبالخطوات التالية. يمكنكم متابعة "
            "حالة طلبكم هنا: {portal_url} — {agency}",
        ),
    },
    Kind.SENTENCED: {
        "en": (
            "News about your request {reference}",
            "Hello. There is news about the court case of the person you are looking for "
            "(request {reference}): the court has given its decision. A caseworker will call "
            "you to explain what it means and what can still be done. — {agency}",
        ),
        "ru": (
            "Новости по вашему обращению {reference}",
            "Здравствуйте. Есть новости о судебном деле человека, которого вы ищете "
            "(обращение {reference}): суд вынес решение. Наш сотрудник позвонит вам и "
            "объяснит, что это значит и что ещё можно сделать. — {agency}",
        ),
        "tg": (
            "Хабар оид ба дархости шумо {reference}",
            "Ассалому алейкум. Дар бораи парвандаи судии шахсе, ки шумо ҷустуҷӯ мекунед, "
            "хабар ҳаст (дархости {reference}): суд қарор баровард. Корманди мо ба шумо занг "
            "зада, мефаҳмонад, ки ин чӣ маъно дорад ва боз чӣ кор кардан мумкин аст. "
            "— {agency}",
        ),
        "kk": (
            "Өтінішіңіз бойынша жаңалық {reference}",
            "Сәлеметсіз бе. Сіз іздеп жүрген адамның сот ісі бойынша жаңалық бар (өтініш "
            "{reference}): сот шешім шығарды. Қызметкеріміз сізге қоңырау шалып, оның нені "
            "білдіретінін және тағы не істеуге болатынын түсіндіреді. — {agency}",
        ),
        "ar": (
            "أخبار عن طلبكم {reference}",
            "السلام عليكم. هناك أخبار عن قضية الشخص الذي تبحثون عنه أمام المحكمة (الطلب "
            "{reference}): أصدرت المحكمة قرارها. سيتصل بكم أحد موظفينا ليشرح لكم معناه وما "
            "الذي ما زال بالإمكان فعله. — {agency}",
        ),
    },
    Kind.CONSENT_NEEDED: {
        "en": (
            "Your help is needed: request {reference}",
            "Hello. To bring your relatives home, the written consent of a family member is "
            "needed (request {reference}). A caseworker will contact you to explain what is "
            "needed and to help you prepare it. — {agency}",
        ),
        "ru": (
            "Нужна ваша помощь: обращение {reference}",
            "Здравствуйте. Чтобы вернуть ваших близких домой, нужно письменное согласие "
            "члена семьи (обращение {reference}). Наш сотрудник свяжется с вами, объяснит, "
            "что нужно, и поможет всё подготовить. — {agency}",
        ),
        "tg": (
            "Кӯмаки шумо лозим аст: дархости {reference}",
            "Ассалому алейкум. Барои ба хона баргардонидани наздиконатон розигии хаттии "
            "яке аз аъзои оила лозим аст (дархости {reference}). Корманди мо бо шумо тамос "
            "гирифта, мефаҳмонад, ки чӣ лозим аст ва дар омода кардани он кӯмак мекунад. "
            "— {agency}",
        ),
        "kk": (
            "Көмегіңіз қажет: өтініш {reference}",
            "Сәлеметсіз бе. Жақындарыңызды үйге қайтару үшін отбасы мүшесінің жазбаша "
            "келісімі қажет (өтініш {reference}). Қызметкеріміз сізбен хабарласып, не "
            "қажет екенін түсіндіреді және оны дайындауға көмектеседі. — {agency}",
        ),
        "ar": (
            "نحتاج إلى مساعدتكم: الطلب {reference}",
            "السلام عليكم. لإعادة أقاربكم إلى الوطن نحتاج إلى موافقة مكتوبة من أحد أفراد "
            "الأسرة (الطلب {reference}). سيتواصل معكم أحد موظفينا ليشرح لكم المطلوب "
            "ويساعدكم في إعداده. — {agency}",
        ),
    },
    Kind.ON_FLIGHT: {
        "en": (
            "Good news about your request {reference}",
            "Hello. Good news: your relatives are on the list for a flight home (request "
            "{reference}). We will tell you the date and the place of arrival as soon as "
            "they are confirmed. — {agency}",
        ),
        "ru": (
            "Хорошие новости по обращению {reference}",
            "Здравствуйте. Хорошая новость: ваши близкие включены в список на рейс домой "
            "(обращение {reference}). Мы сообщим дату и место прибытия, как только они "
            "будут подтверждены. — {agency}",
        ),
        "tg": (
            "Хабари хуш оид ба дархости {reference}",
            "Ассалому алейкум. Хабари хуш: наздиконатон ба рӯйхати парвоз ба Ватан дохил "
            "шуданд (дархости {reference}). Санаю ҷои омаданро ҳамин ки тасдиқ шаванд, ба "
            "шумо хабар медиҳем. — {agency}",
        ),
        "kk": (
            "Өтініш {reference} бойынша қуанышты хабар",
            "Сәлеметсіз бе. Қуанышты хабар: жақындарыңыз елге ұшатын рейстің тізіміне "
            "енгізілді (өтініш {reference}). Келетін күні мен орны расталған бойда сізге "
            "хабарлаймыз. — {agency}",
        ),
        "ar": (
            "خبر سار عن طلبكم {reference}",
            "السلام عليكم. خبر سار: أُدرج أقاربكم في قائمة رحلة العودة إلى الوطن (الطلب "
            "{reference}). سنخبركم بموعد الوصول ومكانه فور تأكيدهما. — {agency}",
        ),
    },
    Kind.ARRIVED: {
        "en": (
            "Your relatives are home: request {reference}",
            "Hello. Your relatives have arrived home (request {reference}). A caseworker "
            "will contact you soon to agree where and when you can meet them. — {agency}",
        ),
        "ru": (
            "Ваши близкие дома: обращение {reference}",
            "Здравствуйте. Ваши близкие прибыли домой (обращение {reference}). Наш "
            "сотрудник скоро свяжется с вами, чтобы договориться, где и когда вы сможете "
            "встретиться. — {agency}",
        ),
        "tg": (
            "Наздиконатон дар Ватананд: дархости {reference}",
            "Ассалому алейкум. Наздиконатон ба Ватан омаданд (дархости {reference}). "
            "Корманди мо ба зудӣ бо шумо тамос мегирад, то дар бораи ҷой ва вақти вохӯрӣ "
            "маслиҳат кунад. — {agency}",
        ),
        "kk": (
            "Жақындарыңыз елде: өтініш {reference}",
            "Сәлеметсіз бе. Жақындарыңыз елге оралды (өтініш {reference}). Қызметкеріміз "
            "жақын арада сізбен хабарласып, қай жерде және қашан кездесетініңізді "
            "келіседі. — {agency}",
        ),
        "ar": (
            "أقاربكم في الوطن: الطلب {reference}",
            "السلام عليكم. وصل أقاربكم إلى الوطن (الطلب {reference}). سيتواصل معكم أحد "
            "موظفينا قريبًا للاتفاق على مكان اللقاء وموعده. — {agency}",
        ),
    },
    Kind.PORTAL_CODE: {
        "en": (
            "Your code",
            "Your code for the relatives' page: {code}. It works once, for {minutes} "
            "minutes. Do not give it to anyone. — {agency}",
        ),
        "ru": (
            "Ваш код",
            "Ваш код для страницы родственников: {code}. Он действует один раз, "
            "{minutes} минут. Никому его не сообщайте. — {agency}",
        ),
        "tg": (
            "Рамзи шумо",
            "Рамзи шумо барои саҳифаи хешовандон: {code}. Он як маротиба ва {minutes} "
            "дақиқа эътибор дорад. Онро ба касе нагӯед. — {agency}",
        ),
        "kk": (
            "Сіздің кодыңыз",
            "Туыстарға арналған беттің кодыңыз: {code}. Ол бір рет, {minutes} минут "
            "жарамды. Оны ешкімге айтпаңыз. — {agency}",
        ),
        "ar": (
            "رمز الدخول",
            "رمزكم لصفحة الأقارب: {code}. يصلح لمرة واحدة فقط ولمدة {minutes} دقائق. لا "
            "تعطوه لأحد. — {agency}",
        ),
    },
}


def placeholders_in(text: str) -> set[str]:
    """The placeholder names used in ``text``; a ValidationError for anything that is not
    a plain ``{name}`` (format specs, attribute access and stray braces are refused: an
    administrator's template must not reach into objects)."""
    names: set[str] = set()
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValidationError(
            _("Write a brace twice when it is not part of a placeholder.")
        ) from exc
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValidationError(
                _("Write placeholders as a plain name in braces, e.g. {reference}.")
            )
        names.add(field)
    return names


def check_template(kind: str, channel: str, subject: str, body: str) -> None:
    """Refuse a template with an unknown or missing placeholder, or too long to send."""
    allowed = PLACEHOLDERS[kind]
    errors: dict[str, list[str]] = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            used = placeholders_in(text)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            continue
        unknown = sorted(used - allowed)
        if unknown:
            errors.setdefault(field, []).append(
                _("Unknown placeholder: %(names)s. Allowed: %(allowed)s.")
                % {
                    "names": ", ".join("{" + n + "}" for n in unknown),
                    "allowed": ", ".join("{" + n + "}" for n in sorted(allowed)),
                }
            )
        if field == "body":
            missing = sorted(REQUIRED.get(kind, frozenset()) - used)
            if missing:
                errors.setdefault(field, []).append(
                    _("The text must contain %(names)s.")
                    % {"names": ", ".join("{" + n + "}" for n in missing)}
                )
    if not body.strip():
        errors.setdefault("body", []).append(_("Write the text of the message."))
    limit = MAX_SMS if channel == Channel.SMS else MAX_EMAIL
    if len(body) > limit:
        errors.setdefault("body", []).append(
            _("The text is %(n)d characters long; at most %(max)d fit this channel.")
            % {"n": len(body), "max": limit}
        )
    if channel == Channel.EMAIL and not subject.strip():
        errors.setdefault("subject", []).append(_("An e-mail needs a subject."))
    if errors:
        raise ValidationError(errors)


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill the placeholders (the template was checked when it was saved)."""
    return text.format_map(dict(values))
