"""Adjudication: a lead decides a document's gold spans, one recorded decision at a time.

Every change goes through `review_decide` (or finish, reopen), which locks the review, checks
the version the lead's page was drawn from, applies the decision, writes a ReviewEvent and
raises the version. A lead whose page is out of date gets ReviewConflict (HTTP 409) and the
current state instead of overwriting another lead's work.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..domain.adjudication import Group, Merge, Variant, merge
from ..domain.agreement import span_f1
from ..domain.attributes import missing_required
from ..models import (
    Assignment,
    AuditEvent,
    Document,
    GoldComparison,
    GoldSpan,
    Review,
)
from .audit import audit_record
from .codings import submitted_codings
from .errors import ServiceError
from .review_decisions import (
    Decision,
    gold_at,
    gold_by_id,
    group_at,
    record_event,
    span_fields,
    variant_at,
)
from .review_links import link_decide, links_drop_unfit, links_prepare

ACTIONS = ("accept", "reject", "add", "edit", "remove", "attributes", "undo")
# What a lead may give as the reason of a decision; free text goes in the note.
REASONS = {
    "guidelines": "The guidelines say so",
    "majority": "Most annotators marked it",
    "context": "The article's context",
    "all_wrong": "Every annotator was wrong",
    "other": "Other",
}


class ReviewConflict(ServiceError):
    """The lead's page is out of date: someone else changed the review since."""

    def __init__(self, review: Review):
        super().__init__(
            "Another lead changed this review since you opened it; here is its current state."
        )
        self.review = review


class ReviewClosed(ServiceError):
    """The review is done; reopen it to change the gold."""


@dataclass
class ReviewState:
    """What the review page and the API show: the candidates and the gold as it stands."""

    document: Document
    review: Review | None
    candidates: Merge
    gold: list[GoldSpan]
    resolved: set[tuple[int, int]]  # the regions of the groups a lead has decided

    @property
    def version(self) -> int:
        return self.review.version if self.review else 0

    @property
    def status(self) -> str:
        return self.review.status if self.review else Review.Status.PENDING

    def is_resolved(self, group: Group) -> bool:
        """Decided on its own, or holding a span the lead put there. A unanimous span next to
        it says nothing about the group: it was there before anyone looked."""
        return (group.start, group.end) in self.resolved or any(
            span.start < group.end and group.start < span.end
            for span in self.gold
            if span.decision != GoldSpan.Decision.UNANIMOUS
        )

    @property
    def open_groups(self) -> list[Group]:
        return [group for group in self.candidates.groups if not self.is_resolved(group)]


def annotator_names(annotators, *, names: bool) -> dict:
    """A1, A2… in the candidates' fixed order, so a lead judges the spans and not the people;
    usernames when the lead asks for them."""
    if not names:
        return {annotator: f"A{number}" for number, annotator in enumerate(annotators, start=1)}
    found = dict(get_user_model().objects.filter(pk__in=annotators).values_list("pk", "username"))
    return {annotator: found.get(annotator, f"user {annotator}") for annotator in annotators}


def candidates_of(document: Document) -> Merge:
    codings, _ = submitted_codings(document.project, [document.pk])
    return merge(codings.get(document.pk, {}))


def review_state(document: Document) -> ReviewState:
    """Read only: opening a review page changes nothing."""
    review = Review.objects.filter(document=document).first()
    candidates = candidates_of(document)
    if review is None:
        labels = {label.key: label for label in document.project.labels.all()}
        gold = [_unsaved_gold(document, variant, labels) for variant in candidates.agreed]
        return ReviewState(document, None, candidates, gold, set())
    gold = list(document.gold_spans.select_related("label"))
    resolved = {
        (event.start, event.end)
        for event in review.events.filter(undone=False, action__in=("accept", "reject", "edit"))
    }
    return ReviewState(document, review, candidates, gold, resolved)


def review_decide(
    *,
    document: Document,
    lead,
    version: int,
    action: str,
    group: int | None = None,
    variant: int | None = None,
    gold_span: int | None = None,
    start=None,
    end=None,
    label: str | None = None,
    attributes: dict | None = None,
    reason: str = "",
    note: str = "",
) -> Review:
    """Apply one decision; see the module doc. `group` and `variant` are indexes into the
    candidates' groups and a group's variants, as the page lists them."""
    if action not in ACTIONS:
        raise ServiceError(f"Unknown action '{action}'.", field="action")
    if reason and reason not in REASONS:
        raise ServiceError(f"Unknown reason '{reason}'.", field="reason")
    with transaction.atomic():
        review = _locked(document, lead, version)
        if review.status == Review.Status.DONE:
            raise ReviewClosed("This review is done; reopen it to change the gold.")
        context = Decision(review, lead, candidates_of(document), reason, note[:2000])
        if action == "undo":
            context.undo()
        elif action == "accept":
            chosen = group_at(context.candidates, group)
            context.accept(chosen, variant_at(chosen, variant))
        elif action == "reject":
            context.reject(group_at(context.candidates, group))
        elif action == "add":
            context.add(span_fields(document, start, end, label, attributes))
        elif action == "edit":
            context.edit(gold_span, group, variant, start, end, label, attributes)
        elif action == "remove":
            context.remove(gold_by_id(document, gold_span))
        else:
            target = (
                gold_by_id(document, gold_span)
                if gold_span is not None
                else gold_at(document, start, end, label)
            )
            context.set_attributes(target, attributes or {})
        _bump(review, Review.Status.IN_PROGRESS)
        _audit(document, review, lead, AuditEvent.Action.REVIEW_DECIDED, review.events.latest("id"))
    return review


def review_link_decide(
    *,
    document: Document,
    lead,
    version: int,
    action: str,
    source: int,
    target: int,
    kind: str,
    reason: str = "",
    note: str = "",
) -> Review:
    """Accept or reject the `kind` link between gold spans `source` and `target`, as one
    decision: same version check, history, undo and audit as a span decision."""
    if reason and reason not in REASONS:
        raise ServiceError(f"Unknown reason '{reason}'.", field="reason")
    with transaction.atomic():
        review = _locked(document, lead, version)
        if review.status == Review.Status.DONE:
            raise ReviewClosed("This review is done; reopen it to change the gold.")
        summary, changes = link_decide(
            review,
            lead,
            candidates_of(document),
            action=action,
            source=source,
            target=target,
            kind=kind,
        )
        event = record_event(
            review,
            lead,
            f"link_{action}",
            None,
            summary,
            reason=reason,
            note=note[:2000],
            changes=changes,
        )
        _bump(review, Review.Status.IN_PROGRESS)
        _audit(document, review, lead, AuditEvent.Action.REVIEW_DECIDED, event)
    return review


def review_finish(*, document: Document, lead, version: int) -> Review:
    """Mark the review done: every conflict must have been decided. Scores each annotator's
    work against the gold for their feedback."""
    with transaction.atomic():
        review = _locked(document, lead, version)
        if review.status == Review.Status.DONE:
            return review
        state = review_state(document)
        open_groups = state.open_groups
        if open_groups:
            where = ", ".join(f"“{document.text[g.start : g.end]}”" for g in open_groups[:3])
            raise ServiceError(
                f"{len(open_groups)} conflict{'s' if len(open_groups) != 1 else ''} "
                f"still to decide: {where}."
            )
        lacking = [
            span
            for span in state.gold
            if missing_required(span.label.attribute_specs, span.attributes)
        ]
        if lacking:
            where = ", ".join(f"“{document.text[s.start : s.end]}”" for s in lacking[:3])
            raise ServiceError(
                f"{len(lacking)} gold span{'s' if len(lacking) != 1 else ''} still "
                f"lack{'s' if len(lacking) == 1 else ''} required attributes: {where}."
            )
        links_drop_unfit(review)
        review.finished_at = timezone.now()
        event = record_event(review, lead, "finish", None, "Finished the review")
        _bump(review, Review.Status.DONE)
        _compare_with_gold(document, review.finished_at)
        _audit(document, review, lead, AuditEvent.Action.REVIEW_FINISHED, event)
    return review


def review_reopen(*, document: Document, lead, version: int) -> Review:
    with transaction.atomic():
        review = _locked(document, lead, version)
        if review.status != Review.Status.DONE:
            raise ServiceError("Only a finished review can be reopened.")
        review.finished_at = None
        event = record_event(review, lead, "reopen", None, "Reopened the review")
        _bump(review, Review.Status.IN_PROGRESS)
        _audit(document, review, lead, AuditEvent.Action.REVIEW_REOPENED, event)
    return review


def review_auto_accept(document: Document) -> Review | None:
    """With the project's option on, a document whose k annotators all agree exactly (spans,
    labels, attributes) becomes gold at once, decided "unanimous"; None otherwise."""
    project = document.project
    if not project.auto_accept_unanimous or Review.objects.filter(document=document).exists():
        return None
    candidates = candidates_of(document)
    if len(candidates.annotators) < project.annotators_per_document or not candidates.unanimous:
        return None
    labels = {label.key: label for label in project.labels.all()}
    review = Review.objects.create(
        document=document, project=project, status=Review.Status.DONE, finished_at=timezone.now()
    )
    GoldSpan.objects.bulk_create(
        _unsaved_gold(document, variant, labels) for variant in candidates.agreed
    )
    links_prepare(review, candidates)
    record_event(review, None, "auto_accept", None, "Every annotator agreed: accepted as gold")
    _compare_with_gold(document, review.finished_at)
    return review


def _locked(document: Document, lead, version: int) -> Review:
    # The document's row is the lock: it exists before the review does.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    if not Document.objects.ready_for_review(document.project).filter(pk=document.pk).exists():
        # Until the last annotation is in, the conflicts are not known yet.
        raise ServiceError("This document's annotations are not all submitted yet.")
    review = Review.objects.filter(document=document).first()
    if review is None:
        if version != 0:
            raise ReviewConflict(Review(document=document, project=document.project))
        review = Review.objects.create(
            document=document,
            project=document.project,
            status=Review.Status.IN_PROGRESS,
            lead=lead,
        )
        labels = {label.key: label for label in document.project.labels.all()}
        candidates = candidates_of(document)
        GoldSpan.objects.bulk_create(
            _unsaved_gold(document, variant, labels) for variant in candidates.agreed
        )
        links_prepare(review, candidates)
        return review
    if review.version != version:
        raise ReviewConflict(review)
    return review


def _audit(document: Document, review: Review, lead, action: str, event) -> None:
    """The lead's step in the project's audit log: which document, and the review's own
    account of the decision (its full history stays in the review's events)."""
    title = f" “{document.title[:60]}”" if document.title else ""
    audit_record(
        project=document.project,
        actor=lead,
        action=action,
        summary=f"Document {document.pk}{title}: {event.summary}",
        details={
            "document_id": document.pk,
            "review_id": review.pk,
            "review_event_id": event.pk,
            "decision": event.action,
            "reason": event.reason,
            "version": review.version,
        },
    )


def _bump(review: Review, status: str) -> None:
    review.version += 1
    review.status = status
    review.save()


def _unsaved_gold(document, variant: Variant, labels) -> GoldSpan:
    return GoldSpan(
        document=document,
        label=labels[variant.label],
        start=variant.start,
        end=variant.end,
        attributes=dict(variant.attributes),
        decision=GoldSpan.Decision.UNANIMOUS,
        exact_annotators=list(variant.annotators),
    )


def _compare_with_gold(document: Document, when) -> None:
    gold = [(s.start, s.end, s.label.key) for s in document.gold_spans.select_related("label")]
    codings, _ = submitted_codings(document.project, [document.pk])
    assignments = dict(
        Assignment.objects.filter(
            document=document, status=Assignment.Status.SUBMITTED
        ).values_list("annotator_id", "pk")
    )
    GoldComparison.objects.filter(assignment__document=document).delete()
    rows = []
    for annotator, spans in codings.get(document.pk, {}).items():
        scores = span_f1(gold, [(span.start, span.end, span.label) for span in spans])
        rows.append(
            GoldComparison(
                assignment_id=assignments[annotator],
                matched=scores.true_positives,
                extra=scores.false_positives,
                missed=scores.false_negatives,
                compared_at=when,
            )
        )
    GoldComparison.objects.bulk_create(rows)
