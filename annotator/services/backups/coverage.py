"""What a backup does with each field of each model: written to the file, or left out on
purpose, with the reason. tests/services/test_backup_coverage.py walks every model against
these two tables, so a new field or model cannot be forgotten by the backup silently."""

from .writing import (
    ASSIGNMENT_FIELDS,
    COMPARISON_FIELDS,
    DOCUMENT_FIELDS,
    EVENT_FIELDS,
    GAZETTEER_FIELDS,
    GOLD_FIELDS,
    IGNORED_FIELDS,
    LABEL_FIELDS,
    PROJECT_FIELDS,
    REVIEW_FIELDS,
    SPAN_FIELDS,
)

# Model → the fields the writer puts into the file. Besides the field lists above, a record
# names its row's parent by where it stands (a label's project, a span's assignment), other
# rows by id or key (`label` is a label's key), and people by their user record's id.
WRITTEN: dict[str, tuple[str, ...]] = {
    "Project": ("id", "slug", "assignment_timeout", *PROJECT_FIELDS),
    "Label": ("id", "project", *LABEL_FIELDS),
    "Membership": ("project", "user", "role", "content_note_seen_at", "created_at"),
    "GazetteerEntry": ("project", "label", *GAZETTEER_FIELDS),
    "Document": ("id", "project", *DOCUMENT_FIELDS),
    "Assignment": ("id", "document", "annotator", *ASSIGNMENT_FIELDS),
    "Span": ("assignment", "label", *SPAN_FIELDS),
    "GoldComparison": ("assignment", *COMPARISON_FIELDS),
    "Review": ("document", "project", "lead", *REVIEW_FIELDS),
    "GoldSpan": (
        "id",
        "document",
        "label",
        "decided_by",
        "exact_annotators",
        "variant_annotators",
        *GOLD_FIELDS,
    ),
    "ReviewEvent": ("id", "review", "lead", "changes", *EVENT_FIELDS),
    "SpanLink": ("assignment", "source", "target", "kind", "created_at"),
    "GoldLink": ("review", "source", "target", "kind", "annotators"),
    "IgnoredRegion": ("document", "created_by", *IGNORED_FIELDS),
    "AuditEvent": ("project", "actor", "actor_name", "action", "summary", "details", "created_at"),
}

# "Model" (all of it) or "Model.field" → why the backup leaves it out.
LEFT_OUT: dict[str, str] = {
    "Membership.id": "nothing refers to a membership by id; a restore gives new ones",
    "Span.id": "nothing refers to an annotator's span by id; a restore gives new ones",
    "SpanLink.id": "nothing refers to a link by id; a restore gives new ones",
    "GoldLink.id": "nothing refers to a gold link by id; a restore gives new ones",
    "GazetteerEntry.id": "entries are known by label and name; a restore gives new ids",
    "IgnoredRegion.id": "regions are known by document and offsets; a restore gives new ids",
    "AuditEvent.id": "the log is ordered by time; a restore gives new ids",
    "Invitation": "a link to join is a short-lived secret of the server that made it; leads "
    "invite again on the restored project",
    "Export": "files of the server that made them; the restored gold exports again, byte for "
    "byte the same",
    "DocumentAgreement": "computed again from the restored spans at the end of a restore",
    "ProjectAgreement": "computed again from the restored spans at the end of a restore",
    "PassageCluster": "derived from the documents' texts (domain.passages): computed again "
    "rather than restored",
    "PassageOccurrence": "derived from the documents' texts (domain.passages): computed again "
    "rather than restored",
}
