"""The project's gold as export records, read a batch of documents at a time.

Only documents whose review is done are gold: a lead's, and with `include_auto_accepted` those
every annotator agreed on exactly (accepted without review). Annotators appear under stable
pseudonyms ("annotator-1", … in the order of their accounts), the same in every document.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from ..domain.exporters import ExportDocument, ExportSpan
from ..models import Assignment, Document, GoldSpan, Project, Review
from .codings import submitted_codings

BATCH = 500


@dataclass(frozen=True)
class ExportOptions:
    include_auto_accepted: bool = False
    layers: bool = False  # each annotator's own submitted spans too


def gold_documents_count(project: Project, options: ExportOptions) -> int:
    return _gold_queryset(project, options).count()


def gold_documents(project: Project, options: ExportOptions) -> Iterator[ExportDocument]:
    """The gold documents in the order of their ids, with their spans and agreement figures."""
    names = annotator_pseudonyms(project)
    ids = list(_gold_queryset(project, options).values_list("pk", flat=True))
    for first in range(0, len(ids), BATCH):
        yield from _batch(project, ids[first : first + BATCH], names, options)


def annotator_pseudonyms(project: Project) -> dict[int, str]:
    everyone = (
        Assignment.objects.in_project(project)
        .order_by("annotator_id")
        .values_list("annotator_id", flat=True)
        .distinct()
    )
    return {user: f"annotator-{number}" for number, user in enumerate(everyone, start=1)}


def _gold_queryset(project: Project, options: ExportOptions):
    done = Document.objects.in_project(project).filter(review__status=Review.Status.DONE)
    if not options.include_auto_accepted:
        done = done.exclude(review__events__action="auto_accept")
    return done.order_by("id")


def _batch(project, ids, names, options) -> Iterator[ExportDocument]:
    documents = Document.objects.filter(pk__in=ids).select_related("agreement").order_by("id")
    spans: dict[int, list[ExportSpan]] = {pk: [] for pk in ids}
    gold = GoldSpan.objects.filter(document_id__in=ids).select_related("label")
    for span in gold:
        spans[span.document_id].append(
            ExportSpan(
                start=span.start,
                end=span.end,
                label=span.label.key,
                attributes=span.attributes,
                decision=span.decision,
                annotators=tuple(names.get(a, f"annotator-{a}") for a in span.exact_annotators),
                variants=tuple(names.get(a, f"annotator-{a}") for a in span.variant_annotators),
            )
        )
    codings = submitted_codings(project, ids)[0] if options.layers else {}
    for document in documents:
        agreement = getattr(document, "agreement", None)
        layers = {
            names.get(annotator, f"annotator-{annotator}"): tuple(
                ExportSpan(s.start, s.end, s.label, s.attributes) for s in annotated
            )
            for annotator, annotated in codings.get(document.pk, {}).items()
        }
        yield ExportDocument(
            id=document.pk,
            text=document.text,
            spans=tuple(spans[document.pk]),
            external_id=document.external_id,
            title=document.title,
            sha256=document.sha256,
            metadata=document.metadata,
            agreement={"exact_f1": round(agreement.score, 6), "annotators": agreement.annotators}
            if agreement
            else None,
            layers=layers,
        )
