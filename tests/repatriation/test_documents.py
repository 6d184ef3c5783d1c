"""Generated PDFs: produced, containing the expected text, Arabic shaped right to left."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import User
from wayhome.repatriation import documents, services
from wayhome.repatriation.models import CaseDocument, DocumentTemplate, RepatriationCase


def _text(doc: CaseDocument) -> str:
    with doc.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def case(caseworker: User) -> RepatriationCase:
    fam = family(caseworker, children=3, mother_given="Zarema")
    return services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )


def _generate(
    actor: User, case: RepatriationCase, kind: str, language: str, with_parent: bool = True
) -> CaseDocument:
    template = DocumentTemplate.objects.get(kind=kind, language=language, agency=None)
    parent = case.members.get(is_principal=True).person if with_parent else None
    return services.document_generate(actor=actor, case=case, template=template, parent=parent)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "give my written consent"),
        ("ru", "даю письменное согласие"),
        ("tg", "розигии хаттии"),
    ],
)
def test_consent_form_in_each_language(
    caseworker: User, case: RepatriationCase, language: str, expected: str
) -> None:
    doc = _generate(caseworker, case, "consent_form", language)
    text = _text(doc)
    assert expected in " ".join(text.split())
    assert "Zarema" in text
    assert "Child2" in text
    assert case.reference in text


def test_arabic_consent_form_is_shaped_and_right_to_left(
    caseworker: User, case: RepatriationCase
) -> None:
    html = documents.render_html(
        DocumentTemplate.objects.get(kind="consent_form", language="ar", agency=None).body,
        {"case": {"reference": "X"}, "parent": {"name": "Zarema"}, "children": []},
        language="ar",
        title="t",
    )
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    doc = _generate(caseworker, case, "consent_form", "ar")
    text = _text(doc)
    assert "موافقة أحد الوالدين على عودة الطفل" in text  # whole words, logical order
    # The table runs right to left: its first column (the name) is the rightmost, so
    # reading the line left to right meets it last.
    header = next(line for line in text.splitlines() if "الاسم" in line)
    assert header.index("مكان الولادة") < header.index("الاسم")
    assert "Zarema" in text


def test_envoy_summary_lists_what_is_missing(caseworker: User, case: RepatriationCase) -> None:
    doc = _generate(caseworker, case, "envoy_summary", "en", with_parent=False)
    text = " ".join(_text(doc).split())
    assert "Case summary" in text
    assert "to be confirmed by counsel" in text
    assert "2500 USD" in text
    assert "Iraqi court order" in text


def test_court_order_request(caseworker: User, case: RepatriationCase) -> None:
    template = DocumentTemplate.objects.get(kind="court_order_request", language="en", agency=None)
    doc = services.document_generate(
        actor=caseworker, case=case, template=template, court="Juvenile court of Baghdad"
    )
    text = " ".join(_text(doc).split())
    assert "Juvenile court of Baghdad" in text
    assert "Child0" in text


def test_consent_form_needs_a_parent(caseworker: User, case: RepatriationCase) -> None:
    template = DocumentTemplate.objects.get(kind="consent_form", language="en", agency=None)
    with pytest.raises(ValidationError):
        services.document_generate(actor=caseworker, case=case, template=template)


def test_templates_are_escaped_and_sandboxed() -> None:
    html = documents.render_html(
        "<p>{{ parent.name }}</p>",
        {"parent": {"name": "<script>x</script>"}},
        language="en",
        title="t",
    )
    assert "<script>x" not in html
    assert "&lt;script&gt;" in html
    for body in ("{% debug %}", "{%  load static %}", "{% include 'x' %}", "{% url 'web:home' %}"):
        with pytest.raises(documents.TemplateProblem):
            documents.check_template(body)


def test_pdf_refuses_external_resources() -> None:
    pdf = documents.html_to_pdf(
        '<html><body><img src="http://127.0.0.1:9/x.png"><p>Hello</p></body></html>'
    )
    assert pdf.startswith(b"%PDF")


def test_arabic_letters_are_joined() -> None:
    """Shaping: one letter three times in a word takes three different glyphs (initial,
    medial, final forms); unshaped text would repeat one isolated glyph."""
    pdf = documents.html_to_pdf(documents.render_html("<p>ببب</p>", {}, language="ar", title="t"))
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    runs = re.findall(rb"\[((?:<[0-9a-fA-F]+>-?\d*)+)\]\s*TJ", content.get_data())
    glyphs = re.findall(rb"<([0-9a-fA-F]+)>", runs[0])
    assert len(glyphs) == 3
    assert len(set(glyphs)) == 3


def test_every_document_ships_in_the_four_languages(db: None) -> None:
    shipped_pairs = set(
        DocumentTemplate.objects.filter(agency=None, is_current=True).values_list(
            "kind", "language"
        )
    )
    assert shipped_pairs == {
        (kind, language)
        for kind in DocumentTemplate.Kind.values
        for language in ("en", "ru", "ar", "tg")
    }


@pytest.mark.parametrize("language", ["ru", "tg", "ar"])
def test_new_shipped_wording_is_marked_for_counsel(db: None, language: str) -> None:
    kinds = {"ru": ["court_order_request"], "tg": ["court_order_request", "envoy_summary"]}
    for kind in kinds.get(language, ["envoy_summary"]):
        body = DocumentTemplate.objects.get(
            kind=kind, language=language, agency=None, is_current=True
        ).body
        assert "to be confirmed by counsel" in body


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "почтительно просит суд вынести решение"),
        ("tg", "эҳтиромона хоҳиш менамояд"),
    ],
)
def test_court_order_request_in_russian_and_tajik(
    caseworker: User, case: RepatriationCase, language: str, expected: str
) -> None:
    template = DocumentTemplate.objects.get(
        kind="court_order_request", language=language, agency=None
    )
    parent = case.members.get(is_principal=True).person
    doc = services.document_generate(
        actor=caseworker,
        case=case,
        template=template,
        parent=parent,
        court="Juvenile court of Baghdad",
    )
    text = " ".join(_text(doc).split())
    assert expected in text
    assert "Juvenile court of Baghdad" in text
    assert "Zarema" in text
    assert "Child0" in text
    assert case.reference in text
    assert f"({language}, v1)" in doc.title


def test_tajik_envoy_summary(caseworker: User, case: RepatriationCase) -> None:
    doc = _generate(caseworker, case, "envoy_summary", "tg", with_parent=False)
    text = " ".join(_text(doc).split())
    assert "Хулосаи парванда" in text
    assert "ҳуқуқшинос тасдиқ карда шаванд" in text  # the rules' "to be confirmed" warning
    assert "2500 USD" in text
    assert "Child2" in text


def test_arabic_envoy_summary_is_shaped_right_to_left_with_arabic_labels(
    caseworker: User, case: RepatriationCase
) -> None:
    doc = _generate(caseworker, case, "envoy_summary", "ar", with_parent=False)
    text = _text(doc)
    flat = " ".join(text.split())
    assert "ملخص القضية" in flat
    assert "يجب أن يؤكدها مستشار قانوني" in flat  # whole words, logical order
    # The steps still open are named by the rule set's Arabic labels, not the English.
    assert "أمر من محكمة عراقية" in flat
    assert "Iraqi court order" not in flat
    assert "2500 USD" in flat
    assert "المرحلة: مفتوح" in flat  # the stage in the document's language
    # The first column (the person) is the rightmost: read left to right, the second
    # column's heading ("date of birth", wrapped) comes before it on the same line.
    header = next(line for line in text.splitlines() if "الشخص" in line)
    assert header.index("تاريخ") < header.index("الشخص")
