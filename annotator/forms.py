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
        help_text="Plain text (.txt, one document a file), JSON Lines (.jsonl, also our "
        "export and doccano's), CSV (.csv), Label Studio's JSON export (.json), or a .zip of "
        "them (doccano's export).",
        widget=MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)}),
    )
    annotations = forms.ChoiceField(
        label="Spans in the files become",
        choices=[
            ("gold", "Gold: our export's gold, or the annotation marked as ground truth"),
            ("annotators", "Each annotator's submitted work, to compare and review here"),
            ("none", "Nothing: import the documents only"),
        ],
        initial="gold",
        required=False,  # a form or script that does not say: gold, as before the choice
        widget=forms.RadioSelect,
    )
    create_labels = forms.BooleanField(
        required=False,
        label="Create the labels the files use and this project lacks",
    )
    skip_invalid = forms.BooleanField(
        required=False,
        label="Skip invalid rows",
        help_text="Import the good rows and report the rest. Off: one bad row imports nothing.",
    )


class SkipForm(forms.Form):
    REASONS = [
        ("off_topic", "Not about casualties in Syria"),
        ("duplicate", "A duplicate of another document"),
        ("unreadable", "Broken or unreadable text"),
        ("distressing", "Too distressing for me right now"),
        ("other", "Another reason"),
    ]
    reason = forms.ChoiceField(choices=REASONS, label="Why skip this document?")
    detail = forms.CharField(required=False, max_length=400, label="Details (optional)")

    def clean(self):
        cleaned = super().clean()
        if "reason" in cleaned:
            label = dict(self.REASONS)[cleaned["reason"]]
            detail = cleaned.get("detail", "").strip()
            cleaned["reason_text"] = f"{label}: {detail}" if detail else label
        return cleaned
