"""Documents as PDF: consent forms, court order requests, envoy summaries.

Administrators edit the templates, so a template is untrusted code of a kind: it is
rendered by a separate template engine with autoescape on, no loaders (no ``include`` or
``extends`` of files on the server), no tag libraries beyond Django's built-ins, and a
context of plain strings, numbers and lists built here, never a model object, so a
template cannot walk from a case to another agency's records or to a password hash.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.html import escape

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})
LANGUAGES = {"en": "English", "ru": "Русский", "ar": "العربية", "tg": "Тоҷикӣ"}

# No loaders: a template cannot pull in files from the server.
_ENGINE = Engine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    builtins=["django.template.defaulttags", "django.template.defaultfilters"],
    autoescape=True,
    debug=False,
)
# Tags that would read the server's state or files even without loaders.
FORBIDDEN_TAGS = ("{% debug", "{% load", "{% include", "{% extends", "{% ssi", "{% url")

_STYLE = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 15pt; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; }
th, td { border: 0.5pt solid #555; padding: 1.5mm 2mm; text-align: start; vertical-align: top; }
.ref { color: #444; font-size: 9pt; }
.warning { border: 1pt solid #a33; padding: 2mm; }
.signatures { margin-top: 14mm; }
.signatures p { margin: 8mm 0; }
footer { font-size: 8pt; color: #666; }
"""


class TemplateProblem(ValueError):
    """A template an administrator wrote that cannot be used; the message says why."""


def check_template(body: str) -> None:
    """Refuse a template that does not compile or uses a forbidden tag."""
    compact = " ".join(body.split())
    for tag in FORBIDDEN_TAGS:
        if tag in compact:
            raise TemplateProblem(f"the tag “{tag[3:]}” is not allowed in a document template")
    try:
        _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"template error: {exc}") from exc


def render_html(body: str, context: dict[str, Any], *, language: str, title: str) -> str:
    """The full HTML page of a document: the template's output in a page with the
    language and direction set, so Arabic runs right to left and shapes in the PDF."""
    check_template(body)
    inner = _ENGINE.from_string(body).render(Context(context, autoescape=True))
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    generated = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
    return (
        f'<!doctype html><html lang="{escape(language)}" dir="{direction}"><head>'
        f'<meta charset="utf-8"><title>{escape(title)}</title><style>{_STYLE}</style></head>'
        f"<body>{inner}<footer>wayhome · {generated}</footer></body></html>"
    )


def html_to_pdf(html: str) -> bytes:
    """The PDF of a page. No base URL: a template cannot make WeasyPrint fetch a file
    or an address (every URL it would follow is refused)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    # No protocol allowed: every image, stylesheet or font URL in a template is refused.
    no_fetch = URLFetcher(allowed_protocols=[], allow_redirects=False, timeout=1)
    pdf = HTML(string=html, url_fetcher=no_fetch).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns bytes
    return bytes(pdf)


def today_text(day: dt.date | None = None) -> str:
    return (day or timezone.localdate()).isoformat()
