"""The data model. The database enforces what it can (constraints); reads are QuerySet methods.

One module per part of a document's life: projects, documents and annotations, agreement,
reviews. Everything is imported here, so `annotator.models.X` is the one way to name a model.
"""

from .accounts import Invitation, InvitationQuerySet
from .agreement import DocumentAgreement, ProjectAgreement
from .assistance import GazetteerEntry, IgnoredRegion, PassageCluster, PassageOccurrence
from .audit import AuditEvent
from .documents import (
    Assignment,
    AssignmentQuerySet,
    Document,
    DocumentQuerySet,
    Span,
    random_shuffle_key,
)
from .exports import Export
from .links import GoldLink, SpanLink
from .projects import Label, Membership, Project, ProjectQuerySet, validate_attribute_schema
from .reviews import GoldComparison, GoldSpan, Review, ReviewEvent

__all__ = [
    "Assignment",
    "AssignmentQuerySet",
    "AuditEvent",
    "Document",
    "DocumentAgreement",
    "DocumentQuerySet",
    "Export",
    "GazetteerEntry",
    "GoldComparison",
    "GoldLink",
    "GoldSpan",
    "IgnoredRegion",
    "Invitation",
    "InvitationQuerySet",
    "Label",
    "Membership",
    "PassageCluster",
    "PassageOccurrence",
    "Project",
    "ProjectAgreement",
    "ProjectQuerySet",
    "Review",
    "ReviewEvent",
    "Span",
    "SpanLink",
    # Named by migrations, which refer to them as annotator.models.<name>:
    "random_shuffle_key",
    "validate_attribute_schema",
]
