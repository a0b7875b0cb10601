"""Explicit input and output shapes. Inputs refuse unknown fields; outputs are read-only."""

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..domain.documents import printable, unstorable_character, unstorable_in_json
from ..models import Assignment, Document, Label, Project, Span


class StorableCharField(serializers.CharField):
    """Text a database can store: no NUL, no lone surrogate (PostgreSQL refuses both). Only a
    JSON string is text: DRF would take the number 0 as "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(data)
        bad = unstorable_character(value)
        if bad:
            raise serializers.ValidationError(f"The text {bad.reason}.")
        return value


class StorableJSONField(serializers.JSONField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        reason = unstorable_in_json(value)
        if reason:
            raise serializers.ValidationError(f"A value {reason}.")
        return value


@extend_schema_field({"type": "object", "additionalProperties": True})
class AttributesField(StorableJSONField):
    """Attributes by name: a JSON object, whose values the label's schema then checks."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("Expected a JSON object.")
        return super().to_internal_value(data)


class StrictInput(serializers.Serializer):
    """Refuses fields it does not know, so a typo is an error rather than silently ignored."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError({"non_field_errors": ["Expected a JSON object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            # Named as they can be shown: a key may hold a lone surrogate JSON cannot encode.
            raise serializers.ValidationError(
                {printable(name): ["Unknown field."] for name in unknown}
            )
        return super().to_internal_value(data)


# Inputs ---------------------------------------------------------------------------------------


class SpanCreateInput(StrictInput):
    label = StorableCharField(max_length=50, help_text="A label key of this project.")
    start = serializers.IntegerField(help_text="First code point of the span.")
    end = serializers.IntegerField(help_text="Code point after the span's last one.")
    attributes = AttributesField(required=False, help_text="Attributes by name.")


class SpanUpdateInput(StrictInput):
    label = StorableCharField(max_length=50, required=False)
    attributes = AttributesField(required=False)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError({"label": ["Give a label, attributes or both."]})
        return data


class SkipInput(StrictInput):
    reason = StorableCharField(max_length=500)


class TokenCreateInput(StrictInput):
    username = StorableCharField(max_length=150)


class DocumentInput(StrictInput):
    text = serializers.CharField(trim_whitespace=False)
    external_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    title = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    meta = serializers.DictField(required=False, allow_null=True)


class DocumentImportInput(StrictInput):
    """Validates the shape only; the import service checks each document as the CLI does."""

    documents = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=10_000
    )
    skip_invalid = serializers.BooleanField(default=False)


# Outputs --------------------------------------------------------------------------------------


class ProjectOutput(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "slug",
            "name",
            "description",
            "guidelines",
            "annotators_per_document",
            "auto_accept_unanimous",
            "allow_overlapping_spans",
            "assignment_order",
            "role",
        ]
        read_only_fields = fields

    def get_role(self, project) -> str:
        return self.context["roles"].get(project.pk, "")


class LabelOutput(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["key", "name", "colour", "shortcut", "description", "attribute_schema"]
        read_only_fields = fields


class MemberOutput(serializers.Serializer):
    username = serializers.CharField(source="user.username", read_only=True)
    role = serializers.CharField(read_only=True)


class TokenOutput(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    token = serializers.CharField(read_only=True)


class DocumentSummaryOutput(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "external_id", "title", "sha256", "source_name", "created_at"]
        read_only_fields = fields


class DocumentOutput(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "external_id",
            "title",
            "text",
            "sha256",
            "metadata",
            "source_name",
            "created_at",
        ]
        read_only_fields = fields


class SpanOutput(serializers.ModelSerializer):
    label = serializers.CharField(source="label.key", read_only=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = Span
        fields = ["id", "label", "start", "end", "text", "attributes", "created_at", "updated_at"]
        read_only_fields = fields

    def get_text(self, span) -> str:
        return span.assignment.document.text[span.start : span.end]


class LeadSpanOutput(SpanOutput):
    """A span as a lead sees it: with whose it is."""

    annotator = serializers.CharField(source="assignment.annotator.username", read_only=True)
    assignment = serializers.IntegerField(source="assignment.id", read_only=True)

    class Meta(SpanOutput.Meta):
        fields = [*SpanOutput.Meta.fields, "annotator", "assignment"]
        read_only_fields = fields


class AssignmentOutput(serializers.ModelSerializer):
    document = DocumentSummaryOutput(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "document", "status", "assigned_at", "submitted_at", "skip_reason"]
        read_only_fields = fields


class AssignmentDetailOutput(AssignmentOutput):
    document = DocumentOutput(read_only=True)
    spans = SpanOutput(many=True, read_only=True)

    class Meta(AssignmentOutput.Meta):
        fields = [*AssignmentOutput.Meta.fields, "spans"]
        read_only_fields = fields


class LeadAssignmentOutput(serializers.ModelSerializer):
    annotator = serializers.CharField(source="annotator.username", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "annotator", "status", "assigned_at", "submitted_at", "skip_reason"]
        read_only_fields = fields


class RowErrorOutput(serializers.Serializer):
    source = serializers.CharField()
    line = serializers.IntegerField()
    reason = serializers.CharField()
    whole_file = serializers.BooleanField(
        help_text="The file as a whole is refused (not UTF-8 text, too large, unreadable past "
        "this line): nothing is imported, even with skip_invalid."
    )


class ImportReportOutput(serializers.Serializer):
    imported = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    committed = serializers.BooleanField()
    summary = serializers.CharField()
    errors = RowErrorOutput(many=True)
