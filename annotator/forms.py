"""HTML input shapes only; rules live in the domain and the services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .domain.importers import SUPPORTED_SUFFIXES
from .models import Membership, Project


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


# The one message of the login page: it must not tell an attacker whether the username exists
# or whether the account is locked out (django-axes refuses the right password then, too).
LOGIN_REFUSED = "Username or password is wrong, or too many attempts; try again later."


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": LOGIN_REFUSED, "inactive": LOGIN_REFUSED}


class AccountForm(forms.Form):
    """A new account, made by opening an invitation."""

    username = forms.CharField(max_length=150, label="Username")
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again") and "password" in cleaned:
            self.add_error("password_again", "The two passwords differ.")
        return cleaned


class InvitationForm(forms.Form):
    VALIDITY = [(1, "1 day"), (3, "3 days"), (7, "7 days"), (14, "14 days"), (30, "30 days")]
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.ANNOTATOR)
    note = forms.CharField(
        max_length=200, required=False, label="Who it is for (only leads see this)"
    )
    valid_days = forms.TypedChoiceField(
        choices=VALIDITY, coerce=int, initial=7, label="The link works for"
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class ProjectSettingsForm(forms.ModelForm):
    """A lead's settings of a project that are not its labels or its members."""

    class Meta:
        model = Project
        fields = ["content_note", "break_reminder_minutes"]
        labels = {
            "content_note": "Content note",
            "break_reminder_minutes": "Break reminder after (minutes)",
        }
        widgets = {"content_note": forms.Textarea(attrs={"rows": 6})}


class SuggestionsSwitchForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Show suggestions to annotators")


class GazetteerEntryForm(forms.Form):
    """One gazetteer entry as a lead types it: other spellings and attribute values as short
    comma-separated lists ("feature_type=governorate")."""

    label = forms.ModelChoiceField(queryset=None, empty_label=None, to_field_name="key")
    name = forms.CharField(max_length=200)
    aliases = forms.CharField(
        required=False, max_length=2000, label="Other spellings (comma-separated)"
    )
    attributes = forms.CharField(
        required=False, max_length=500, label="Attributes (e.g. actor_type=rebel)"
    )

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].queryset = labels

    def clean_aliases(self) -> list[str]:
        return [alias.strip() for alias in self.cleaned_data["aliases"].split(",") if alias.strip()]

    def clean_attributes(self) -> dict[str, str]:
        values = {}
        for pair in self.cleaned_data["attributes"].split(","):
            if not pair.strip():
                continue
            name, equals, value = pair.partition("=")
            if not equals or not name.strip():
                raise forms.ValidationError(f"Write each attribute as name=value, not “{pair}”.")
            values[name.strip()] = value.strip()
        return values
