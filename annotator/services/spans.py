"""An annotator's spans: create, relabel, edit attributes, delete.

Every change locks the assignment row first, so checks (open assignment, overlap) and the
write are one step even with two tabs or a double click. Creating the same span twice returns
the first one, its `already_saved` set: a repeated request never makes a second span. A span
deleted meanwhile (in another tab) is SpanGone to a later change.
"""

from typing import Any

from django.db import transaction

from ..domain.attributes import carried_over, clean_attributes, initial_attributes
from ..domain.spans import span_problem
from ..models import Assignment, Label, Span
from .assignments import lock_open_assignment
from .errors import AttributesRejected, SpanGone, SpanRejected


def span_create(
    *,
    assignment: Assignment,
    label: Label,
    start: Any,
    end: Any,
    attributes: dict[str, Any] | None = None,
    from_suggestion: bool = False,
) -> Span:
    with transaction.atomic():
        locked = lock_open_assignment(assignment)
        document = locked.document
        problem = span_problem(start, end, document.text)
        if problem:
            field, reason = problem
            raise SpanRejected(reason, field=field)
        if label.project_id != document.project_id:
            raise SpanRejected("The label is not one of this project's labels.", field="label")
        if document.ignored.filter(start__lt=end, end__gt=start).exists():
            raise SpanRejected(
                "This text is ignored (greyed): a lead marked it as not part of the report, "
                "so it is not annotated.",
                field="start",
            )
        # One read for both checks: the same span again overlaps itself.
        overlapping = sorted(
            locked.spans.filter(start__lt=end, end__gt=start).select_related("label"),
            key=lambda span: span.pk,
        )
        for span in overlapping:
            if (span.label_id, span.start, span.end) == (label.pk, start, end):
                span.already_saved = True
                return span
        if overlapping and not document.project.allow_overlapping_spans:
            raise _overlap_refusal(locked, overlapping[0])
        covered = document.text[start:end]
        values = initial_attributes(label.attribute_specs, covered)
        if attributes:
            cleaned = clean_attributes(label.attribute_specs, attributes, covered)
            if cleaned.errors:
                raise AttributesRejected(cleaned.errors)
            values = cleaned.values
        span = Span.objects.create(
            assignment=locked,
            label=label,
            start=start,
            end=end,
            attributes=values,
            from_suggestion=from_suggestion,
        )
        span.already_saved = False
        return span


def _overlap_refusal(assignment: Assignment, clash: Span) -> SpanRejected:
    text = assignment.document.text[clash.start : clash.end]
    return SpanRejected(
        f"This overlaps the {clash.label.name} span “{text}”. Spans may not overlap in "
        "this project: delete or change that span first.",
        field="start",
    )


def span_relabel(*, span: Span, label: Label) -> Span:
    """Give the span another label; attributes the new label also has are kept."""
    with transaction.atomic():
        locked = lock_open_assignment(span.assignment)
        span = _still_there(locked.spans.select_for_update(), span)
        if label.project_id != locked.document.project_id:
            raise SpanRejected("The label is not one of this project's labels.", field="label")
        if label.pk == span.label_id:
            return span
        if locked.spans.filter(label=label, start=span.start, end=span.end).exists():
            raise SpanRejected(f"There is already a {label.name} span here.", field="label")
        covered = locked.document.text[span.start : span.end]
        kept = carried_over(label.attribute_specs, span.attributes)
        cleaned = clean_attributes(label.attribute_specs, kept, covered)
        span.label = label
        span.attributes = {**initial_attributes(label.attribute_specs, covered), **cleaned.values}
        span.save(update_fields=["label", "attributes", "updated_at"])
        return span


def span_set_attributes(*, span: Span, submitted: dict[str, Any]) -> Span:
    """Replace the span's attributes with the submitted ones, typed and checked."""
    with transaction.atomic():
        locked = lock_open_assignment(span.assignment)
        span = _still_there(locked.spans.select_for_update().select_related("label"), span)
        covered = locked.document.text[span.start : span.end]
        cleaned = clean_attributes(span.label.attribute_specs, submitted, covered)
        if cleaned.errors:
            raise AttributesRejected(cleaned.errors)
        span.attributes = cleaned.values
        span.save(update_fields=["attributes", "updated_at"])
        return span


def _still_there(spans, span: Span) -> Span:
    found = spans.filter(pk=span.pk).first()
    if found is None:
        raise SpanGone
    return found


def span_delete(*, span: Span) -> None:
    with transaction.atomic():
        locked = lock_open_assignment(span.assignment)
        locked.spans.filter(pk=span.pk).delete()
