"""Forms of the import of an earlier register (registry/imports.py)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.organisations.models import Organisation
from integriteit.ui.uploads import refusal_of

from . import import_rows
from .constants import TaxonomyKind
from .models import ImportJob, Taxonomy


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation")
    )
    file = forms.FileField(
        label=gettext_lazy("Register file"),
        help_text=gettext_lazy(
            "A CSV file (UTF-8, separated by semicolons or commas) or an Excel workbook (.xlsx) "
            "with one row per report and the column names in the first row. At most 10 MB and "
            "50,000 rows."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
        self.only = organisations.get() if organisations.count() == 1 else None
        if self.only is not None:  # nothing to choose: not asked
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_organisation(self):
        return self.only or self.cleaned_data["organisation"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if reason := refusal_of(upload):
            raise forms.ValidationError(reason)
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: the entry field it holds, or none; and the lists the
    codes are read in."""

    version = forms.TypedChoiceField(
        label=gettext_lazy("Codes of violation types and measures"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, job: ImportJob, samples: list[list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        by_column = {column: field for field, column in job.mapping.items()}
        choices = [
            ("", _("(not imported)")),
            *[(name, label) for name, label in import_rows.FIELDS],
        ]
        self.columns = []
        for column, header in enumerate(job.headers):
            name = f"column_{column}"
            shown = samples[column] if column < len(samples) else []
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=by_column.get(column, ""),
                help_text=(
                    _("For example: %(values)s") % {"values": " · ".join(shown)}
                    if shown
                    else _("No values in the first rows.")
                ),
            )
            self.columns.append(self[name])
        versions = Taxonomy.objects.filter(kind=TaxonomyKind.VIOLATION_TYPE).order_by("valid_from")
        cast(forms.ChoiceField, self.fields["version"]).choices = [
            ("", _("The lists valid in the year of receipt of each report")),
            *[(str(v.valid_from), _("Always: %(list)s") % {"list": v.name}) for v in versions],
        ]
        self.fields["version"].initial = str(job.version_year or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping: dict[str, int] = {}
        for column in range(len(self.columns)):
            field = data.get(f"column_{column}")
            if not field:
                continue
            if field in mapping:
                self.add_error(
                    f"column_{column}",
                    _("“%(field)s” is already taken by the column “%(other)s”.")
                    % {
                        "field": dict(import_rows.FIELDS)[field],
                        "other": self.columns[mapping[field]].label,
                    },
                )
            else:
                mapping[field] = column
        for field in import_rows.REQUIRED:
            if field not in mapping and not self.errors:
                raise forms.ValidationError(
                    _("Choose the column that holds: %(field)s.")
                    % {"field": dict(import_rows.FIELDS)[field]}
                )
        data["mapping"] = mapping
        return data


class RunForm(forms.Form):
    only_valid = forms.BooleanField(
        required=False, label=gettext_lazy("Import the valid rows only, leave out the others")
    )
