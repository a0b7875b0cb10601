"""The decisions a lead makes on a locked review, each recorded with what undo needs.

`reviews.review_decide` checks the version and picks the decision; `Decision` applies it to
the gold spans and writes its ReviewEvent: the spans it added, and copies of those it removed
or changed, so that undo can put everything back.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ..domain.adjudication import NO_SPAN, Group, Merge, Variant
from ..domain.attributes import carried_over, clean_attributes, initial_attributes, without_derived
from ..domain.spans import span_problem
from ..models import Document, GoldSpan, Label, Review, ReviewEvent
from .errors import ServiceError
from .review_links import links_touching, links_undo


def record_event(review, lead, action, region, summary, *, reason="", note="", changes=None):
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


def group_at(candidates: Merge, index) -> Group:
    if not isinstance(index, int) or not 0 <= index < len(candidates.groups):
        raise ServiceError("There is no such conflict on this document.", field="group")
    return candidates.groups[index]


def variant_at(group: Group, index) -> Variant:
    if not isinstance(index, int) or not 0 <= index < len(group.variants):
        raise ServiceError("The conflict has no such variant.", field="variant")
    return group.variants[index]


def gold_at(document: Document, start, end, label) -> GoldSpan:
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


def gold_by_id(document: Document, gold_id) -> GoldSpan:
    found = GoldSpan.objects.filter(document=document, pk=gold_id).select_related("label").first()
    if found is None:
        raise ServiceError("There is no such gold span on this document.", field="gold_span")
    return found


@dataclass
class SpanFields:
    start: int
    end: int
    label: Label
    attributes: dict


def span_fields(document, start, end, label_key, attributes) -> SpanFields:
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
    return SpanFields(start, end, label, values)


def _carried(fields: SpanFields, attributes: dict, text: str) -> dict:
    """The attributes a span keeps when a lead changes its boundaries or label: those its
    label has, checked again for it (a value the label does not allow is dropped, as when an
    annotator relabels a span), derived ones computed again for the span's text."""
    specs = fields.label.attribute_specs
    kept = carried_over(specs, attributes)
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


class Decision:
    """One decision on one locked review: applies it and records it with what undo needs."""

    def __init__(self, review: Review, lead, candidates: Merge, reason: str, note: str):
        self.review, self.lead, self.candidates = review, lead, candidates
        self.document = review.document
        self.reason, self.note = reason, note

    def _text(self, start: int, end: int) -> str:
        text = self.document.text[start:end]
        return text if len(text) <= 60 else text[:59] + "…"

    def _create(self, fields: SpanFields, decision: str) -> GoldSpan:
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
            SpanFields(variant.start, variant.end, label, dict(variant.attributes)),
            GoldSpan.Decision.ACCEPTED,
        )
        record_event(
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
        # The spans' gold links go with them (CASCADE): copies let undo put them back.
        links = links_touching(span.pk for span in inside)
        GoldSpan.objects.filter(pk__in=[span.pk for span in inside]).delete()
        record_event(
            self.review,
            self.lead,
            "reject",
            (group.start, group.end),
            f"Rejected: {NO_SPAN} at “{self._text(group.start, group.end)}”",
            reason=self.reason,
            note=self.note,
            changes={"removed": [_snapshot(span) for span in inside], "links_removed": links},
        )

    def add(self, fields: SpanFields) -> None:
        exact, _ = self._provenance(fields.start, fields.end, fields.label.key)
        decision = GoldSpan.Decision.ACCEPTED if exact else GoldSpan.Decision.ADDED
        span = self._create(fields, decision)
        record_event(
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
            span = gold_by_id(self.document, gold_id)
            before = _snapshot(span)
            fields = span_fields(
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
            group = group_at(self.candidates, group_index)
            variant = variant_at(group, variant_index)
            fields = span_fields(
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
        record_event(
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
        links = links_touching([span.pk])
        span.delete()
        record_event(
            self.review,
            self.lead,
            "remove",
            (before["start"], before["end"]),
            f"Removed {span.label.key} “{self._text(before['start'], before['end'])}”",
            reason=self.reason,
            note=self.note,
            changes={"removed": [before], "links_removed": links},
        )

    def set_attributes(self, span: GoldSpan, attributes: dict) -> None:
        before = _snapshot(span)
        # The given attributes change; the others keep their values (derived ones are
        # computed again from what is entered).
        entered = without_derived(span.label.attribute_specs, span.attributes) | attributes
        fields = span_fields(self.document, span.start, span.end, span.label.key, entered)
        if fields.attributes != span.attributes:
            span.attributes = fields.attributes
            span.decision, span.decided_by = GoldSpan.Decision.EDITED, self.lead
            span.save(update_fields=["attributes", "decision", "decided_by", "decided_at"])
        record_event(
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
        links_undo(self.review, changes)
        last.undone = True
        last.save(update_fields=["undone"])
        record_event(self.review, self.lead, "undo", None, f"Undid: {last.summary}")
