"""Forms of the import wizard and of exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.lists.models import ListImport
from wayhome.lists.reading import FIELDS

ENCODINGS = [
    ("", _("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", _("UTF-8 with BOM")),
    ("cp1251", _("Cyrillic (Windows-1251)")),
    ("cp1256", _("Arabic (Windows-1256)")),
]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("List (CSV or XLSX)"))
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Who sent it, e.g. 'Ministry of Justice'. Lists from the same source "
                    "are read with the same columns."),
    )  # fmt: skip
    list_date = forms.DateField(
        label=_("Date of the list"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Ages in the list are taken as on this date."),
    )
    encoding = forms.ChoiceField(label=_("Text encoding (CSV)"), choices=ENCODINGS, required=False)

    def __init__(self, *args: Any, sources: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"list_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.sources = sources or []
        self.fields["source"].widget.attrs["list"] = "known-sources"


class MappingForm(forms.Form):
    """How to read the draft: a column for each field, the encoding, the header row."""

    encoding = forms.ChoiceField(label=_("Text encoding"), choices=ENCODINGS[1:], required=False)
    header_row = forms.IntegerField(label=_("Header row"), min_value=1)
    list_date = forms.DateField(
        label=_("Date of the list"), widget=forms.DateInput(attrs={"type": "date"})
    )
    skip_invalid = forms.BooleanField(
        label=_("Leave out the rows with problems (they are listed as left out)"),
        required=False,
    )

    def __init__(self, *args: Any, headers: list[str], list_import: ListImport, **kw: Any) -> None:
        initial = {
            "encoding": list_import.encoding,
            "header_row": list_import.header_row,
            "list_date": list_import.list_date,
            "skip_invalid": list_import.skip_invalid,
            **{f"map_{f}": h for f, h in list_import.mapping.items()},
        }
        kw["initial"] = initial
        super().__init__(*args, **kw)
        if list_import.encoding == "xlsx":
            del self.fields["encoding"]
        choices = [("", _("— not in this list —")), *((h, h) for h in headers)]
        for name, label in FIELDS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )

    def mapping(self) -> dict[str, str]:
        return {f: self.cleaned_data.get(f"map_{f}") or "" for f in FIELDS}

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"map_{f}"] for f in FIELDS]


class ExportForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        initial=["uuid", "display_name", "sex", "birth", "current_status"],
    )
    fmt = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX"), ("pdf", "PDF")]
    )
    reason = forms.CharField(
        label=_("Why does this data leave the system?"),
        max_length=500,
        help_text=_("Recorded in the audit trail, e.g. 'list for the embassy, flight of 12 May'."),
    )
    password = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("With a password the file comes in an AES-256 encrypted ZIP. Send the "
                    "password by another channel than the file."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        columns: dict[str, Any] | None = None,
        initial_columns: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``columns``: the export's (key, heading) choices, the persons' by default."""
        from wayhome.lists.exporting import PERSON_COLUMNS

        super().__init__(*args, **kwargs)
        field = self.fields["columns"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
        field.choices = list((columns or PERSON_COLUMNS).items())
        if initial_columns is not None:
            field.initial = initial_columns

    def options(self) -> dict[str, Any]:
        """The chosen columns, reason, format and password (None for none), as the
        ``lists.exporting`` functions take them."""
        d = self.cleaned_data
        return {
            "columns": d["columns"],
            "reason": d["reason"],
            "fmt": d["fmt"],
            "password": d["password"] or None,
        }
