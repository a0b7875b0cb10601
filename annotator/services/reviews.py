"""Adjudication: a lead decides a document's gold spans, one recorded decision at a time.

Every change goes through `review_decide` (or finish, reopen), which locks the review, checks
the version the lead's page was drawn from, applies the decision, writes a ReviewEvent and
raises the version. A lead whose page is out of date gets ReviewConflict (HTTP 409) and the
current state instead of overwriting another lead's work.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..domain.adjudication import NO_SPAN, Group, Merge, Variant, merge
from ..domain.agreement import span_f1
from ..domain.attributes import clean_attributes, initial_attributes, missing_required
from ..domain.spans import span_problem
from ..models import (
    Assignment,
    Document,
    GoldComparison,
    GoldSpan,
    Label,
    Review,
    ReviewEvent,
)
from .codings import submitted_codings
from .errors import ServiceError

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
        context = _Decision(review, lead, candidates_of(document), reason, note[:2000])
        if action == "undo":
            context.undo()
        elif action == "accept":
            chosen = _group(context.candidates, group)
            context.accept(chosen, _variant(chosen, variant))
        elif action == "reject":
            context.reject(_group(context.candidates, group))
        elif action == "add":
            context.add(_span_fields(document, start, end, label, attributes))
        elif action == "edit":
            context.edit(gold_span, group, variant, start, end, label, attributes)
        elif action == "remove":
            context.remove(_gold(document, gold_span))
        else:
            target = (
                _gold(document, gold_span)
                if gold_span is not None
                else _gold_at(document, start, end, label)
            )
            context.set_attributes(target, attributes or {})
        _bump(review, Review.Status.IN_PROGRESS)
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
        review.finished_at = timezone.now()
        _record(review, lead, "finish", None, "Finished the review")
        _bump(review, Review.Status.DONE)
        _compare_with_gold(document, review.finished_at)
    return review


def review_reopen(*, document: Document, lead, version: int) -> Review:
    with transaction.atomic():
        review = _locked(document, lead, version)
        if review.status != Review.Status.DONE:
            raise ServiceError("Only a finished review can be reopened.")
        review.finished_at = None
        _record(review, lead, "reopen", None, "Reopened the review")
        _bump(review, Review.Status.IN_PROGRESS)
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
    _record(review, None, "auto_accept", None, "Every annotator agreed: accepted as gold")
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
        GoldSpan.objects.bulk_create(
            _unsaved_gold(document, variant, labels) for variant in candidates_of(document).agreed
        )
        return review
    if review.version != version:
        raise ReviewConflict(review)
    return review


def _bump(review: Review, status: str) -> None:
    review.version += 1
    review.status = status
    review.save()


def _record(review, lead, action, region, summary, *, reason="", note="", changes=None):
    start, end = region if region else (None, None)
    return ReviewEvent.objects.create(
        review=review,
        lead=lead,
        action=action,
        start=start,
        end=end,
        summary=summary[:300],
        reason=reason,
        note=note,
        changes=changes or {},
    )


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


def _group(candidates: Merge, index) -> Group:
    if not isinstance(index, int) or not 0 <= index < len(candidates.groups):
        raise ServiceError("There is no such conflict on this document.", field="group")
    return candidates.groups[index]


def _variant(group: Group, index) -> Variant:
    if not isinstance(index, int) or not 0 <= index < len(group.variants):
        raise ServiceError("The conflict has no such variant.", field="variant")
    return group.variants[index]


def _gold_at(document: Document, start, end, label) -> GoldSpan:
    """The gold span at these offsets with this label: how a page that drew the gold before
    the review existed (so without ids) names one."""
    found = (
        GoldSpan.objects.filter(document=document, start=start, end=end, label__key=label)
        .select_related("label")
        .first()
    )
    if found is None:
        raise ServiceError("There is no such gold span on this document.", field="gold_span")
    return found


def _gold(document: Document, gold_id) -> GoldSpan:
    found = GoldSpan.objects.filter(document=document, pk=gold_id).select_related("label").first()
    if found is None:
        raise ServiceError("There is no such gold span on this document.", field="gold_span")
    return found


@dataclass
class _Fields:
    start: int
    end: int
    label: Label
    attributes: dict


def _span_fields(document, start, end, label_key, attributes) -> _Fields:
    problem = span_problem(start, end, document.text)
    if problem:
        field, message = problem
        raise ServiceError(message, field=field)
    label = document.project.labels.filter(key=label_key).first()
    if label is None:
        raise ServiceError(f"The project has no label '{label_key}'.", field="label")
    # What an annotator's new span starts with: defaults, and a figure read from the text.
    values = initial_attributes(label.attribute_specs, document.text[start:end])
    if attributes:
        cleaned = clean_attributes(label.attribute_specs, attributes, document.text[start:end])
        if cleaned.errors:
            first = next(iter(cleaned.errors.items()))
            raise ServiceError(f"{first[0]}: {first[1]}", field="attributes")
        values = cleaned.values
    return _Fields(start, end, label, values)


def _carried(fields: _Fields, attributes: dict, text: str) -> dict:
    """The attributes a span keeps when a lead changes its boundaries or label: those its
    label has, checked again for it (a value the label does not allow is dropped, as when an
    annotator relabels a span), derived ones computed again for the span's text."""
    specs = fields.label.attribute_specs
    entered = {spec.name for spec in specs if not spec.derived}
    kept = {name: value for name, value in attributes.items() if name in entered}
    return clean_attributes(specs, kept, text[fields.start : fields.end]).values


def _snapshot(span: GoldSpan) -> dict:
    return {
        "id": span.pk,
        "label_id": span.label_id,
        "start": span.start,
        "end": span.end,
        "attributes": span.attributes,
        "decision": span.decision,
        "decided_by_id": span.decided_by_id,
        "reason": span.reason,
        "note": span.note,
        "exact_annotators": span.exact_annotators,
        "variant_annotators": span.variant_annotators,
    }


def _restore(snapshot: dict, document: Document) -> GoldSpan:
    return GoldSpan.objects.create(document=document, **snapshot)


class _Decision:
    """One decision on one locked review: applies it and records it with what undo needs."""

    def __init__(self, review: Review, lead, candidates: Merge, reason: str, note: str):
        self.review, self.lead, self.candidates = review, lead, candidates
        self.document = review.document
        self.reason, self.note = reason, note

    def _text(self, start: int, end: int) -> str:
        text = self.document.text[start:end]
        return text if len(text) <= 60 else text[:59] + "…"

    def _create(self, fields: _Fields, decision: str) -> GoldSpan:
        exact, variants = self._provenance(fields.start, fields.end, fields.label.key)
        try:
            with transaction.atomic():
                return GoldSpan.objects.create(
                    document=self.document,
                    label=fields.label,
                    start=fields.start,
                    end=fields.end,
                    attributes=fields.attributes,
                    decision=decision,
                    decided_by=self.lead,
                    reason=self.reason,
                    note=self.note,
                    exact_annotators=exact,
                    variant_annotators=variants,
                )
        except IntegrityError:
            raise ServiceError(
                f"“{self._text(fields.start, fields.end)}” is already gold as {fields.label.key}."
            ) from None

    def _provenance(self, start: int, end: int, label: str) -> tuple[list, list]:
        exact, variants = set(), set()
        everything = [*self.candidates.agreed] + [
            v for group in self.candidates.groups for v in group.variants
        ]
        for variant in everything:
            if variant.key == (start, end, label):
                exact.update(variant.annotators)
            elif variant.start < end and start < variant.end:
                variants.update(variant.annotators)
        return sorted(exact, key=str), sorted(variants - exact, key=str)

    def accept(self, group: Group, variant: Variant) -> None:
        label = self.document.project.labels.get(key=variant.label)
        span = self._create(
            _Fields(variant.start, variant.end, label, dict(variant.attributes)),
            GoldSpan.Decision.ACCEPTED,
        )
        _record(
            self.review,
            self.lead,
            "accept",
            (group.start, group.end),
            f"Accepted {variant.label} “{self._text(variant.start, variant.end)}”",
            reason=self.reason,
            note=self.note,
            changes={"added": [span.pk]},
        )

    def reject(self, group: Group) -> None:
        # A unanimous span inside the region (spans may overlap in some projects) is no
        # part of the conflict: "no span here" never takes it away.
        inside = list(
            GoldSpan.objects.filter(
                document=self.document, start__gte=group.start, end__lte=group.end
            ).exclude(decision=GoldSpan.Decision.UNANIMOUS)
        )
        GoldSpan.objects.filter(pk__in=[span.pk for span in inside]).delete()
        _record(
            self.review,
            self.lead,
            "reject",
            (group.start, group.end),
            f"Rejected: {NO_SPAN} at “{self._text(group.start, group.end)}”",
            reason=self.reason,
            note=self.note,
            changes={"removed": [_snapshot(span) for span in inside]},
        )

    def add(self, fields: _Fields) -> None:
        exact, _ = self._provenance(fields.start, fields.end, fields.label.key)
        decision = GoldSpan.Decision.ACCEPTED if exact else GoldSpan.Decision.ADDED
        span = self._create(fields, decision)
        _record(
            self.review,
            self.lead,
            "add",
            (fields.start, fields.end),
            f"Added {fields.label.key} “{self._text(fields.start, fields.end)}”",
            reason=self.reason,
            note=self.note,
            changes={"added": [span.pk]},
        )

    def edit(self, gold_id, group_index, variant_index, start, end, label_key, attributes):
        if gold_id is not None:
            span = _gold(self.document, gold_id)
            before = _snapshot(span)
            fields = _span_fields(
                self.document,
                span.start if start is None else start,
                span.end if end is None else end,
                label_key or span.label.key,
                attributes,
            )
            if attributes is None:
                fields.attributes = _carried(fields, span.attributes, self.document.text)
            exact, variants = self._provenance(fields.start, fields.end, fields.label.key)
            span.start, span.end, span.label = fields.start, fields.end, fields.label
            span.attributes = fields.attributes
            span.decision, span.decided_by = GoldSpan.Decision.EDITED, self.lead
            span.exact_annotators, span.variant_annotators = exact, variants
            span.reason, span.note = self.reason, self.note
            try:
                with transaction.atomic():
                    span.save()
            except IntegrityError:
                raise ServiceError("That span is already gold.") from None
            region = (min(before["start"], span.start), max(before["end"], span.end))
            changes = {"changed": [[span.pk, before]]}
        else:
            group = _group(self.candidates, group_index)
            variant = _variant(group, variant_index)
            fields = _span_fields(
                self.document,
                variant.start if start is None else start,
                variant.end if end is None else end,
                label_key or variant.label,
                attributes,
            )
            if attributes is None:
                fields.attributes = _carried(fields, variant.attributes, self.document.text)
            span = self._create(fields, GoldSpan.Decision.EDITED)
            region = (group.start, group.end)
            changes = {"added": [span.pk]}
        _record(
            self.review,
            self.lead,
            "edit",
            region,
            f"Edited to {span.label.key} “{self._text(span.start, span.end)}”",
            reason=self.reason,
            note=self.note,
            changes=changes,
        )

    def remove(self, span: GoldSpan) -> None:
        before = _snapshot(span)
        span.delete()
        _record(
            self.review,
            self.lead,
            "remove",
            (before["start"], before["end"]),
            f"Removed {span.label.key} “{self._text(before['start'], before['end'])}”",
            reason=self.reason,
            note=self.note,
            changes={"removed": [before]},
        )

    def set_attributes(self, span: GoldSpan, attributes: dict) -> None:
        before = _snapshot(span)
        # The given attributes change; the others keep their values (derived ones are
        # computed again from what is entered).
        derived = {spec.name for spec in span.label.attribute_specs if spec.derived}
        entered = {k: v for k, v in span.attributes.items() if k not in derived} | attributes
        fields = _span_fields(self.document, span.start, span.end, span.label.key, entered)
        if fields.attributes != span.attributes:
            span.attributes = fields.attributes
            span.decision, span.decided_by = GoldSpan.Decision.EDITED, self.lead
            span.save(update_fields=["attributes", "decision", "decided_by", "decided_at"])
        _record(
            self.review,
            self.lead,
            "attributes",
            None,
            f"Set the attributes of {span.label.key} “{self._text(span.start, span.end)}”",
            reason=self.reason,
            note=self.note,
            changes={"changed": [[span.pk, before]]},
        )

    def undo(self) -> None:
        last = (
            self.review.events.filter(undone=False)
            .exclude(action__in=("undo", "finish", "reopen", "auto_accept"))
            .order_by("-id")
            .first()
        )
        if last is None:
            raise ServiceError("There is nothing to undo.")
        changes = last.changes
        GoldSpan.objects.filter(document=self.document, pk__in=changes.get("added", [])).delete()
        for snapshot in changes.get("removed", []):
            _restore(snapshot, self.document)
        for pk, before in changes.get("changed", []):
            GoldSpan.objects.filter(document=self.document, pk=pk).update(
                **{key: value for key, value in before.items() if key != "id"}
            )
        last.undone = True
        last.save(update_fields=["undone"])
        _record(self.review, self.lead, "undo", None, f"Undid: {last.summary}")


def _compare_with_gold(document: Document, when) -> None:
    gold = [(s.start, s.end, s.label.key) for s in document.gold_spans.select_related("label")]
    codings, _ = submitted_codings(document.project, [document.pk])
    assignments = dict(
        Assignment.objects.filter(
            document=document, status=Assignment.Status.SUBMITTED
        ).values_list("annotator_id", "pk")
    )
    GoldComparison.objects.filter(assignment__document=document).delete()
    GoldComparison.objects.bulk_create(
        GoldComparison(
            assignment_id=assignments[annotator],
            matched=(
                scores := span_f1(gold, [(s.start, s.end, s.label) for s in spans])
            ).true_positives,
            extra=scores.false_positives,
            missed=scores.false_negatives,
            compared_at=when,
        )
        for annotator, spans in codings.get(document.pk, {}).items()
    )
