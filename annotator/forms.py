"""HTML input shapes only; rules live in the domain and the services."""

from django import forms

from .domain.importers import SUPPORTED_SUFFIXES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple) and data:
            return [single_clean(item, initial) for item in data]
        # No file at all goes through the single-file path, which raises "required".
        return [single_clean(data or None, initial)]


class DocumentImportForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="Plain text (.txt, one document a file), JSON Lines (.jsonl) or CSV (.csv).",
        widget=MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)}),
    )
    skip_invalid = forms.BooleanField(
        required=False,
        label="Skip invalid rows",
        help_text="Import the good rows and report the rest. Off: one bad row imports nothing.",
    )
