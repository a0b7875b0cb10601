"""An annotator's links between their spans: create and delete.

Like the span services, every change locks the assignment row first, so the checks (open
assignment, both spans still there, no duplicate, no loop of part_of links) and the write are
one step even with two tabs. A span's links go with it when it is deleted (CASCADE).
"""

from django.db import transaction

from ..domain.links import Link, link_problem
from ..models import Assignment, Span, SpanLink
from .assignments import lock_open_assignment
from .errors import ServiceError, SpanGone


class LinkRejected(ServiceError):
    """The link cannot be made as asked (wrong labels, other assignment, duplicate, loop)."""


def link_create(*, assignment: Assignment, source: Span, target: Span, kind: str) -> SpanLink:
    with transaction.atomic():
        locked = lock_open_assignment(assignment)
        if source.assignment_id != locked.pk or target.assignment_id != locked.pk:
            raise LinkRejected(
                "Both ends of a link must be your spans on this document.", field="target"
            )
        spans = {
            span.pk: span.label.key
            for span in locked.spans.filter(pk__in=[source.pk, target.pk]).select_related("label")
        }
        if source.pk not in spans or target.pk not in spans:
            raise SpanGone
        existing = [
            Link(source_id, target_id, existing_kind)
            for source_id, target_id, existing_kind in locked.links.values_list(
                "source_id", "target_id", "kind"
            )
        ]
        problem = link_problem(Link(source.pk, target.pk, kind), spans, existing)
        if problem:
            field, reason = problem
            raise LinkRejected(reason, field=field)
        return SpanLink.objects.create(assignment=locked, source=source, target=target, kind=kind)


def link_delete(*, link: SpanLink) -> None:
    with transaction.atomic():
        locked = lock_open_assignment(link.assignment)
        locked.links.filter(pk=link.pk).delete()
