"""Agreement figures: a document's when its annotations are in, the project's from those.

No request adds up a whole project: submitting computes the one document's tallies and asks for
a refresh, which runs as a background task (`annotator.tasks`) and reads only stored tallies.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from ..domain.agreement import VERSION, AgreementTally, CodedSpan, DocumentTallies, document_tallies
from ..models import Assignment, Document, DocumentAgreement, Project, ProjectAgreement, Span
from ..tasks import refresh_project_agreement

HISTOGRAM_BINS = 10
_CHUNK = 500


def document_agreement_compute(document: Document) -> DocumentAgreement | None:
    """Compute and store the document's tallies from its submitted annotations; None (and any
    stored tallies removed) while fewer than two are submitted."""
    submitted = Assignment.objects.filter(document=document, status=Assignment.Status.SUBMITTED)
    summary = submitted.aggregate(latest=Max("submitted_at"), count=Count("pk"))
    if summary["count"] < 2:
        DocumentAgreement.objects.filter(document=document).delete()
        return None
    codings: dict[int, list[CodedSpan]] = {
        annotator: [] for annotator in submitted.values_list("annotator_id", flat=True)
    }
    spans = Span.objects.filter(assignment__in=submitted).values_list(
        "assignment__annotator_id", "start", "end", "label__key", "attributes"
    )
    for annotator, start, end, label, attributes in spans:
        codings[annotator].append(CodedSpan(start, end, label, attributes))
    tallies = document_tallies(document.text, codings, _attribute_specs(document.project))
    agreement, _ = DocumentAgreement.objects.update_or_create(
        document=document,
        defaults=_row(tallies, document.project_id, summary["latest"]),
    )
    return agreement


def _attribute_specs(project: Project) -> dict:
    return {label.key: label.attribute_specs for label in project.labels.all()}


def _row(tallies: DocumentTallies, project_id: int, submitted_at) -> dict:
    return {
        "project_id": project_id,
        "annotators": len(tallies.annotators),
        "score": tallies.score(),
        "disagreements": sum(tallies.disagreements().values()),
        "submitted_at": submitted_at,
        "tallies": tallies.to_json(),
        "version": tallies.version,
    }


def agreement_refresh_request(project: Project) -> bool:
    """Ask for the project's figures to be refreshed; True if a refresh was queued, False if
    one already waits (it will read everything stored by the time it starts)."""
    ProjectAgreement.objects.get_or_create(project=project)
    queued = ProjectAgreement.objects.filter(project=project, refresh_queued=False).update(
        refresh_queued=True
    )
    if queued:
        refresh_project_agreement.enqueue(project.pk)
    return bool(queued)


def agreement_refresh(
    project: Project,
    *,
    recompute: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ProjectAgreement:
    """Add up the project's stored document tallies into its figures.

    Tallies of an older VERSION, and with `recompute` all of them, are computed again from the
    spans first. Progress is stored every few hundred documents, so a lead can watch it.
    """
    ProjectAgreement.objects.get_or_create(project=project)
    # Cleared before reading: a submission after this point queues a refresh of its own.
    ProjectAgreement.objects.filter(project=project).update(
        refresh_queued=False, refresh_running=True, refresh_done=0
    )
    stale = DocumentAgreement.objects.filter(project=project)
    if not recompute:
        stale = stale.exclude(version=VERSION)
    for document in Document.objects.filter(pk__in=stale.values("document_id")).iterator():
        document_agreement_compute(document)
    if recompute:
        _compute_missing(project)

    rows = DocumentAgreement.objects.filter(project=project).order_by("document_id")
    total = rows.count()
    _progress(project, 0, total, progress)
    tally = AgreementTally()
    histogram = [0] * HISTOGRAM_BINS
    weeks: dict = defaultdict(Counter)
    stored = rows.values_list("tallies", "score", "submitted_at").iterator(chunk_size=_CHUNK)
    for done, (tallies, score, submitted_at) in enumerate(stored, start=1):
        document = DocumentTallies.from_json(tallies)
        tally.add(document)
        histogram[min(int(score * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)] += 1
        week = weeks[_week_of(submitted_at)]
        week["documents"] += 1
        for match in ("exact", "overlap"):
            matched, unmatched = document.totals(match)
            week[f"{match}_matched"] += matched
            week[f"{match}_unmatched"] += unmatched
        if done % _CHUNK == 0:
            _progress(project, done, total, progress)
    figures = tally.figures()
    figures["histogram"] = histogram
    figures["weeks"] = [_week_figures(start, counts) for start, counts in sorted(weeks.items())]
    with transaction.atomic():
        ProjectAgreement.objects.filter(project=project).update(
            figures=figures,
            computed_at=timezone.now(),
            refresh_running=False,
            refresh_done=total,
            refresh_total=total,
        )
    _progress(project, total, total, progress, store=False)
    return ProjectAgreement.objects.get(project=project)


def _compute_missing(project: Project) -> None:
    """Documents with two or more submitted annotations but no tallies (e.g. tallies deleted)."""
    twice = (
        Assignment.objects.in_project(project)
        .filter(status=Assignment.Status.SUBMITTED)
        .values("document_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("document_id")
    )
    missing = Document.objects.filter(pk__in=twice).exclude(
        pk__in=DocumentAgreement.objects.filter(project=project).values("document_id")
    )
    for document in missing.select_related("project").iterator():
        document_agreement_compute(document)


def _progress(project, done, total, callback, *, store=True) -> None:
    if store:
        ProjectAgreement.objects.filter(project=project).update(
            refresh_done=done, refresh_total=total
        )
    if callback:
        callback(done, total)


def _week_of(moment) -> str:
    day = timezone.localtime(moment).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def _week_figures(start: str, counts: Counter) -> dict:
    def f1(match: str) -> float | None:
        matched, unmatched = counts[f"{match}_matched"], counts[f"{match}_unmatched"]
        return round(2 * matched / (2 * matched + unmatched), 6) if matched or unmatched else None

    return {
        "week": start,
        "documents": counts["documents"],
        "exact_f1": f1("exact"),
        "overlap_f1": f1("overlap"),
    }


def documents_by_agreement(project: Project) -> Iterable[DocumentAgreement]:
    """The project's documents with figures, least agreement first: the review order."""
    return (
        DocumentAgreement.objects.filter(project=project)
        .select_related("document")
        .order_by("score", "document_id")
    )
