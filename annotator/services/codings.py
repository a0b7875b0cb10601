"""Reading annotators' finished work: the one place that decides what counts as submitted."""

from collections import defaultdict
from collections.abc import Iterable

from ..domain.agreement import CodedSpan
from ..models import Assignment, Project, Span


def submitted_codings(
    project: Project, document_ids: Iterable[int]
) -> tuple[dict[int, dict[int, list[CodedSpan]]], dict[int, object]]:
    """({document: {annotator: spans}}, {document: latest submission time}) for the documents'
    submitted assignments, in a fixed number of queries. Open, skipped and released work is
    left out: an unfinished annotation is missing, never "no spans"."""
    submitted = Assignment.objects.filter(
        document__project=project,
        document_id__in=list(document_ids),
        status=Assignment.Status.SUBMITTED,
    ).values_list("pk", "document_id", "annotator_id", "submitted_at")
    codings: dict[int, dict[int, list[CodedSpan]]] = defaultdict(dict)
    owner, latest = {}, {}
    for assignment, document, annotator, submitted_at in submitted:
        codings[document][annotator] = []
        owner[assignment] = (document, annotator)
        latest[document] = max(latest.get(document, submitted_at), submitted_at)
    spans = Span.objects.filter(assignment_id__in=list(owner)).values_list(
        "assignment_id", "start", "end", "label__key", "attributes"
    )
    for assignment, start, end, label, attributes in spans:
        document, annotator = owner[assignment]
        codings[document][annotator].append(CodedSpan(start, end, label, attributes))
    return dict(codings), latest
