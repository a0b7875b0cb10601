"""Backing up one project to a file (the format is described in `domain.backups`).

A backup is made from one snapshot of the database, a batch of documents at a time, into a file
beside the target that takes its name only when complete: a failed backup leaves no file that
looks like one.
"""

import gzip
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ...domain.backups import (
    IdRanges,
    header_make,
    record_line,
    trailer_make,
)
from ...models import (
    Assignment,
    AuditEvent,
    Document,
    GoldComparison,
    GoldLink,
    GoldSpan,
    IgnoredRegion,
    Membership,
    Project,
    Review,
    ReviewEvent,
    Span,
    SpanLink,
)
from ..audit import audit_record
from ..exports import read_snapshot

BATCH = 200


@dataclass
class BackupSummary:
    path: Path
    counts: dict[str, int]


def project_backup(
    *,
    project: Project,
    path: Path,
    include_password_hashes: bool = False,
    actor=None,
    progress: Callable[[int, int], None] | None = None,
) -> BackupSummary:
    """Write the project to `path`; `progress(done, total)` is told as documents go.

    Users' password hashes are left out unless asked for: a restore then makes accounts that
    cannot log in until a site admin sets a password."""
    path = Path(path)
    unfinished = path.with_name(path.name + ".partial")
    with read_snapshot():
        counts = _counts(project)
        with _Writer(unfinished) as out:
            out.write(header_make(project=project.slug, counts=counts, made_at=timezone.now()))
            out.write(_project_record(project))
            for label in project.labels.order_by("id").values():
                out.write(_label_record(label))
            for user in _users(project, include_password_hashes):
                out.write(user)
            for member in Membership.objects.filter(project=project).order_by("id"):
                out.write(
                    {
                        "type": "member",
                        "user": member.user_id,
                        "role": member.role,
                        "content_note_seen_at": member.content_note_seen_at,
                        "created_at": member.created_at,
                    }
                )
            for entry in project.gazetteer.order_by("id").values("label__key", *GAZETTEER_FIELDS):
                out.write(
                    {
                        "type": "gazetteer",
                        "label": entry["label__key"],
                        **pick(entry, GAZETTEER_FIELDS),
                    }
                )
            ids = list(project.documents.order_by("id").values_list("pk", flat=True))
            for first in range(0, len(ids), BATCH):
                for record in _document_records(ids[first : first + BATCH]):
                    out.write(record)
                if progress:
                    progress(min(first + BATCH, len(ids)), len(ids))
            for event in AuditEvent.objects.filter(project=project).order_by("created_at", "id"):
                out.write(_audit_record(event))
    unfinished.replace(path)
    with transaction.atomic():
        audit_record(
            project=project,
            actor=actor,
            action=AuditEvent.Action.BACKUP_MADE,
            summary=f"Backup made: {counts['documents']:,} documents to {path.name}",
            details={"file": path.name, "counts": counts, "passwords": include_password_hashes},
        )
    return BackupSummary(path, counts)


class _Writer:
    """The gzip'd file, a record a line, with the checksum and the id ranges as it goes."""

    def __init__(self, path: Path):
        self.path = path
        self.digest = hashlib.sha256()
        self.records = -1  # the header is no record
        self.ids = IdRanges()

    def __enter__(self) -> "_Writer":
        self.file = gzip.open(self.path, "wb")
        return self

    def write(self, record: dict) -> None:
        data = record_line(record).encode()
        self.digest.update(data)
        self.file.write(data)
        if self.records >= 0:
            self.ids.see_record(record)
        self.records += 1

    def __exit__(self, failure, *_) -> None:
        if failure is None:
            trailer = trailer_make(
                records=self.records, sha256=self.digest.hexdigest(), ids=self.ids
            )
            self.file.write(record_line(trailer).encode())
        self.file.close()
        if failure is not None:
            self.path.unlink(missing_ok=True)


def _counts(project: Project) -> dict[str, int]:
    assignments = Assignment.objects.in_project(project)
    return {
        "labels": project.labels.count(),
        "users": len(_user_ids(project)),
        "members": project.memberships.count(),
        "gazetteer_entries": project.gazetteer.count(),
        "documents": project.documents.count(),
        "assignments": assignments.count(),
        "spans": Span.objects.filter(assignment__in=assignments).count(),
        "span_links": SpanLink.objects.filter(assignment__in=assignments).count(),
        "gold_comparisons": GoldComparison.objects.filter(assignment__in=assignments).count(),
        "reviews": Review.objects.filter(document__project=project).count(),
        "gold_spans": GoldSpan.objects.filter(document__project=project).count(),
        "gold_links": GoldLink.objects.filter(review__document__project=project).count(),
        "review_events": ReviewEvent.objects.filter(review__document__project=project).count(),
        "ignored_regions": IgnoredRegion.objects.filter(document__project=project).count(),
        "audit_events": AuditEvent.objects.filter(project=project).count(),
    }


def _project_record(project: Project) -> dict:
    return {
        "type": "project",
        "id": project.pk,
        "slug": project.slug,
        **{name: getattr(project, name) for name in PROJECT_FIELDS},
        "assignment_timeout": project.assignment_timeout.total_seconds(),
    }


def _label_record(label: dict) -> dict:
    return {"type": "label", "id": label["id"], **pick(label, LABEL_FIELDS)}


def _user_ids(project: Project) -> set[int]:
    """Everyone the project's records name: members, annotators, leads, and the actors of its
    audit log."""
    named = [
        Membership.objects.filter(project=project).values_list("user_id"),
        Assignment.objects.in_project(project).values_list("annotator_id"),
        Review.objects.filter(document__project=project).values_list("lead_id"),
        GoldSpan.objects.filter(document__project=project).values_list("decided_by_id"),
        ReviewEvent.objects.filter(review__document__project=project).values_list("lead_id"),
        AuditEvent.objects.filter(project=project).values_list("actor_id"),
        IgnoredRegion.objects.filter(document__project=project).values_list("created_by_id"),
    ]
    return {pk for query in named for (pk,) in query.distinct() if pk is not None}


def _users(project: Project, include_password_hashes: bool) -> Iterator[dict]:
    users = get_user_model().objects.filter(pk__in=_user_ids(project)).order_by("id")
    for user in users:
        usable = include_password_hashes and user.has_usable_password()
        yield {
            "type": "user",
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "password": user.password if usable else None,
        }


# The fields of each kind of row that go into the file as they are, under their own names.
PROJECT_FIELDS = (
    "name",
    "description",
    "guidelines",
    "annotators_per_document",
    "auto_accept_unanimous",
    "allow_overlapping_spans",
    "assignment_order",
    "suggestions_enabled",
    "content_note",
    "break_reminder_minutes",
    "created_at",
)
GAZETTEER_FIELDS = ("name", "aliases", "attributes")
LABEL_FIELDS = ("key", "name", "colour", "shortcut", "description", "attribute_schema", "position")
DOCUMENT_FIELDS = (
    "external_id",
    "title",
    "text",
    "sha256",
    "metadata",
    "source_name",
    "shuffle_key",
    "places_taken",
    "created_at",
)
ASSIGNMENT_FIELDS = ("status", "assigned_at", "updated_at", "submitted_at", "skip_reason")
SPAN_FIELDS = ("start", "end", "attributes", "from_suggestion", "created_at", "updated_at")
COMPARISON_FIELDS = ("matched", "extra", "missed", "compared_at")
REVIEW_FIELDS = ("status", "version", "started_at", "finished_at", "updated_at")
GOLD_FIELDS = ("start", "end", "attributes", "decision", "decided_at", "reason", "note")
EVENT_FIELDS = ("at", "action", "start", "end", "summary", "reason", "note", "undone")
IGNORED_FIELDS = ("start", "end", "reason", "created_at")


def _document_records(ids: list[int]) -> Iterator[dict]:
    """Each document with its assignments and their spans, and its review: a few queries for
    the whole batch."""
    assignments: dict[int, list[dict]] = {pk: [] for pk in ids}
    by_id: dict[int, dict] = {}
    rows = Assignment.objects.filter(document_id__in=ids).order_by("id")
    for row in rows.values("id", "document_id", "annotator_id", *ASSIGNMENT_FIELDS):
        by_id[row["id"]] = {
            "id": row["id"],
            "annotator": row["annotator_id"],
            **pick(row, ASSIGNMENT_FIELDS),
            "spans": [],
            "links": [],
            "gold_comparison": None,
        }
        assignments[row["document_id"]].append(by_id[row["id"]])
    spans = Span.objects.filter(assignment_id__in=by_id).order_by("assignment_id", "start", "id")
    place: dict[int, int] = {}  # span id → its place in its assignment's list
    for span in spans.values("id", "assignment_id", "label__key", *SPAN_FIELDS):
        listed = by_id[span["assignment_id"]]["spans"]
        place[span["id"]] = len(listed)
        listed.append({"label": span["label__key"], **pick(span, SPAN_FIELDS)})
    links = SpanLink.objects.filter(assignment_id__in=by_id).order_by("id")
    for link in links.values("assignment_id", "source_id", "target_id", "kind", "created_at"):
        by_id[link["assignment_id"]]["links"].append(
            {
                "source": place[link["source_id"]],
                "target": place[link["target_id"]],
                "kind": link["kind"],
                "created_at": link["created_at"],
            }
        )
    comparisons = GoldComparison.objects.filter(assignment_id__in=by_id)
    for comparison in comparisons.values("assignment_id", *COMPARISON_FIELDS):
        by_id[comparison["assignment_id"]]["gold_comparison"] = pick(comparison, COMPARISON_FIELDS)
    reviews = _reviews(ids)
    ignored: dict[int, list[dict]] = {pk: [] for pk in ids}
    regions = IgnoredRegion.objects.filter(document_id__in=ids).order_by("start", "end")
    for row in regions.values("document_id", "created_by_id", *IGNORED_FIELDS):
        ignored[row["document_id"]].append(
            {**pick(row, IGNORED_FIELDS), "created_by": row["created_by_id"]}
        )
    documents = Document.objects.filter(pk__in=ids).order_by("id")
    for document in documents.values("id", *DOCUMENT_FIELDS):
        yield {
            "type": "document",
            **document,
            "assignments": assignments[document["id"]],
            "review": reviews.get(document["id"]),
            "ignored": ignored[document["id"]],
        }


def _reviews(ids: list[int]) -> dict[int, dict]:
    reviews = {}
    for row in Review.objects.filter(document_id__in=ids).values(
        "document_id", "lead_id", *REVIEW_FIELDS
    ):
        reviews[row["document_id"]] = {
            "lead": row["lead_id"],
            **pick(row, REVIEW_FIELDS),
            "gold": [],
            "links": [],
            "events": [],
        }
    gold = GoldSpan.objects.filter(document_id__in=ids).order_by("id")
    provenance = ("exact_annotators", "variant_annotators")
    for row in gold.values(
        "id", "document_id", "label__key", "decided_by_id", *GOLD_FIELDS, *provenance
    ):
        reviews[row["document_id"]]["gold"].append(
            {
                "id": row["id"],
                "label": row["label__key"],
                "decided_by": row["decided_by_id"],
                **pick(row, GOLD_FIELDS + provenance),
            }
        )
    links = GoldLink.objects.filter(review_id__in=ids).order_by("id")
    for row in links.values("review_id", "source_id", "target_id", "kind", "annotators"):
        reviews[row["review_id"]]["links"].append(
            {
                "source": row["source_id"],
                "target": row["target_id"],
                "kind": row["kind"],
                "annotators": row["annotators"],
            }
        )
    events = ReviewEvent.objects.filter(review_id__in=ids).order_by("id")
    for row in events.values("id", "review_id", "lead_id", "changes", *EVENT_FIELDS):
        reviews[row["review_id"]]["events"].append(
            {
                "id": row["id"],
                "lead": row["lead_id"],
                **pick(row, EVENT_FIELDS),
                "changes": row["changes"],
            }
        )
    return reviews


def _audit_record(event: AuditEvent) -> dict:
    return {
        "type": "audit",
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "summary": event.summary,
        "details": event.details,
        "created_at": event.created_at,
    }


def pick(row: dict, names: tuple[str, ...]) -> dict:
    return {name: row[name] for name in names}
