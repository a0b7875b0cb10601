"""Handing documents to annotators, and closing assignments (submit, skip, release)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..domain.attributes import missing_required
from ..domain.audit import names_listed
from ..models import Assignment, AuditEvent, Document, Project
from .agreement import agreement_refresh_request, document_agreement_compute
from .audit import audit_record
from .errors import AssignmentClosed, ServiceError, SubmissionIncomplete
from .reviews import review_auto_accept

# A candidate document can fill up between choosing it and locking it; then try the next one.
_MAX_ATTEMPTS = 20
AUDITED_IDS = 1000  # ids kept in a release's audit entry; its count says how many in all


def assignment_next(*, project: Project, annotator) -> Assignment | None:
    """The annotator's unfinished assignment, else a new one on the next document that still
    needs annotators and that this annotator has never had; None when there is none.

    The chosen document's row is locked and its places recounted before the assignment is
    made, so two annotators asking at once never make k+1 assignments for one document.
    """
    mine = Assignment.objects.in_project(project).of(annotator)
    unfinished = mine.filter(status=Assignment.Status.ASSIGNED).order_by("assigned_at").first()
    if unfinished:
        return unfinished
    for _ in range(_MAX_ATTEMPTS):
        document_id = _next_document_id(project, annotator)
        if document_id is None:
            return None
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=document_id)
            existing = Assignment.objects.filter(document=document, annotator=annotator).first()
            if existing:  # the same annotator asked twice at once
                return existing
            if document.assignments.holding_a_place().count() >= project.annotators_per_document:
                # Full after all: its stored count was behind (another request took the last
                # place since). Set it right, so it is not offered again.
                documents_places_recount([document.pk])
                continue
            try:
                with transaction.atomic():
                    made = Assignment.objects.create(document=document, annotator=annotator)
            except IntegrityError:
                return Assignment.objects.get(document=document, annotator=annotator)
            documents_places_recount([document.pk])
            return made
    return None


def documents_places_recount(document_ids) -> None:
    """Store how many assignments hold a place on each of these documents: after any change
    to their assignments' number or status."""
    holding = (
        Assignment.objects.holding_a_place()
        .filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(count=Count("id"))
        .values("count")
    )
    Document.objects.filter(pk__in=document_ids).update(places_taken=Coalesce(Subquery(holding), 0))


def _next_document_id(project: Project, annotator) -> int | None:
    """The fullest document with room first, then in the project's order: a document reaches
    its k annotators (and so agreement and review) before another is begun. The order is that
    of an index (project, -places_taken, order), so finding the N-th document of a big project
    costs what finding the first one does."""
    order = "shuffle_key" if project.assignment_order == Project.AssignmentOrder.RANDOM else "id"
    return (
        Document.objects.needing_annotator(project, annotator)
        .order_by("-places_taken", order, "id")
        .values_list("id", flat=True)
        .first()
    )


def lock_open_assignment(assignment: Assignment) -> Assignment:
    """Lock the assignment row for a change to its spans; refuse if it is closed.

    Only the assignment's row (`of="self"`): locking the joined document and project rows too
    would make every span save in a project wait on one row, and deadlock with a submission,
    which locks the document before the assignment."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("document__project")
        .get(pk=assignment.pk)
    )
    if not locked.is_open:
        raise AssignmentClosed(_closed_message(locked))
    return locked


def _closed_message(assignment: Assignment) -> str:
    return {
        Assignment.Status.SUBMITTED: "This document was submitted; its spans can no longer "
        "be changed.",
        Assignment.Status.SKIPPED: "This document was skipped; its spans can no longer be changed.",
        Assignment.Status.RELEASED: "A lead released this document after it timed out; its "
        "spans are kept but can no longer be changed.",
    }[assignment.status]


def assignment_submit(*, assignment: Assignment) -> Assignment:
    """Close the assignment as finished. A second submission (a double click, a retry, another
    tab) changes nothing and is refused, so the caller can say the work was already in."""
    with transaction.atomic():
        # The document's row first, as assignment_next does: two annotators submitting the
        # same document's last annotations at once take turns, so the second one's agreement
        # and auto-accept see the first one's submission.
        Document.objects.select_for_update().filter(pk=assignment.document_id).first()
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status == Assignment.Status.SUBMITTED:
            raise AssignmentClosed(
                "This document was already submitted (by a second click or in another tab); "
                "nothing was changed."
            )
        if not locked.is_open:
            raise AssignmentClosed(_closed_message(locked))
        incomplete = [
            span
            for span in locked.spans.select_related("label")
            if missing_required(span.label.attribute_specs, span.attributes)
        ]
        if incomplete:
            where = ", ".join(
                f"“{locked.document.text[span.start : span.end]}”" for span in incomplete[:5]
            )
            raise SubmissionIncomplete(
                f"{len(incomplete)} span{'s' if len(incomplete) != 1 else ''} still "
                f"lack{'s' if len(incomplete) == 1 else ''} required attributes: {where}."
            )
        locked.status = Assignment.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        # In the same transaction: a submitted pair of annotations always has its tallies.
        if document_agreement_compute(locked.document):
            agreement_refresh_request(locked.document.project)
        review_auto_accept(locked.document)
    return locked


def assignment_skip(*, assignment: Assignment, reason: str) -> Assignment:
    """Give the document back: another annotator will get it; this one never again."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why you skip this document.", field="reason")
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status == Assignment.Status.SKIPPED:
            return locked
        if not locked.is_open:
            raise AssignmentClosed(_closed_message(locked))
        locked.status = Assignment.Status.SKIPPED
        locked.skip_reason = reason[:500]
        locked.save(update_fields=["status", "skip_reason", "updated_at"])
        documents_places_recount([locked.document_id])
    return locked


def assignments_release_stale(*, project: Project, now=None, actor=None) -> int:
    """Release unfinished assignments older than the project's timeout, so their documents go
    to someone else. The released annotator's spans are kept, never deleted. A release that
    frees anything is written to the audit log as `actor`'s."""
    cutoff = (now or timezone.now()) - project.assignment_timeout
    with transaction.atomic():
        query = Assignment.objects.in_project(project).filter(
            status=Assignment.Status.ASSIGNED, assigned_at__lt=cutoff
        )
        # Locked, so the entry names exactly the assignments the update releases.
        stale = list(
            query.select_for_update(of=("self",)).values_list(
                "pk", "document_id", "annotator__username"
            )
        )
        released = query.update(status=Assignment.Status.RELEASED, updated_at=timezone.now())
        documents_places_recount([document for _, document, _ in stale])
        if released:
            _audit_release(project, actor, stale, released)
    return released


def _audit_release(project: Project, actor, stale: list, released: int) -> None:
    annotators = sorted({username for _, _, username in stale})
    audit_record(
        project=project,
        actor=actor,
        action=AuditEvent.Action.ASSIGNMENTS_RELEASED,
        summary=f"Released {released} assignment{'s' if released != 1 else ''} older than "
        f"{project.assignment_timeout.days} days, of {names_listed(annotators, 'annotator')}",
        details={
            "released": released,
            "assignments": [pk for pk, _, _ in stale][:AUDITED_IDS],
            "documents": sorted({document for _, document, _ in stale})[:AUDITED_IDS],
            "annotators": annotators,
        },
    )
