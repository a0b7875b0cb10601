"""Agreement figures: a document's when its annotations are in, the project's from those.

No request adds up a whole project: submitting computes the one document's tallies and asks for
a refresh, which runs as a background task (`annotator.tasks`) and reads only stored tallies.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..domain.agreement import VERSION, AgreementTally, DocumentTallies, document_tallies
from ..domain.ignored import blank_ignored, codings_outside_ignored
from ..models import (
    Assignment,
    Document,
    DocumentAgreement,
    IgnoredRegion,
    Project,
    ProjectAgreement,
)
from ..tasks import refresh_project_agreement
from .codings import submitted_codings

HISTOGRAM_BINS = 10
STUCK = timedelta(minutes=10)
_CHUNK = 500


def document_agreement_compute(document: Document) -> DocumentAgreement | None:
    """Compute and store the document's tallies from its submitted annotations; None (and any
    stored tallies removed) while fewer than two are submitted."""
    documents_agreement_compute(document.project, [document.pk])
    return DocumentAgreement.objects.filter(document=document).first()


def documents_agreement_compute(project: Project, document_ids: Iterable[int]) -> int:
    """Compute and store the tallies of these documents of the project, a few queries per
    batch of documents whatever their number; returns how many now have tallies."""
    specs = _attribute_specs(project)
    stored = 0
    ids = sorted(set(document_ids))
    for first in range(0, len(ids), _CHUNK):
        stored += _compute_batch(project, ids[first : first + _CHUNK], specs)
    return stored


def _compute_batch(project: Project, ids: list[int], specs: dict) -> int:
    annotations, latest = submitted_codings(project, ids)
    ready = [document for document, codings in annotations.items() if len(codings) >= 2]
    texts = dict(Document.objects.filter(pk__in=ready).values_list("pk", "text"))
    ignored = defaultdict(list)
    for document, start, end in IgnoredRegion.objects.filter(document_id__in=ready).values_list(
        "document_id", "start", "end"
    ):
        ignored[document].append((start, end))
    rows = [
        DocumentAgreement(
            document_id=document,
            **_row(
                # Ignored text is not compared: spans there are dropped and its tokens blanked.
                document_tallies(
                    blank_ignored(texts[document], ignored[document]),
                    codings_outside_ignored(annotations[document], ignored[document]),
                    specs,
                ),
                project.pk,
                latest[document],
            ),
        )
        for document in ready
    ]
    with transaction.atomic():
        DocumentAgreement.objects.filter(project=project, document_id__in=ids).delete()
        DocumentAgreement.objects.bulk_create(rows)
    return len(rows)


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


def agreement_refresh_request(project: Project, *, force: bool = False) -> bool:
    """Ask for the project's figures to be refreshed once the current transaction commits;
    True if a refresh was queued, False if one already waits (it reads everything stored by the
    time it starts).

    A refresh queued longer than STUCK ago that never started is taken as lost (its worker
    died, or the queue was emptied) and queued again, as is any refresh a lead asks for
    (`force`): a lost task never leaves the figures stale for good.
    """
    ProjectAgreement.objects.get_or_create(project=project)
    now = timezone.now()
    waiting = ProjectAgreement.objects.filter(project=project)
    if not force:
        waiting = waiting.filter(
            Q(refresh_queued=False) | Q(refresh_running=False, refresh_queued_at__lt=now - STUCK)
        )
    queued = waiting.update(refresh_queued=True, refresh_queued_at=now)
    if queued:
        # After the commit: the task must see this transaction's tallies, and an error in it
        # (the immediate backend runs it in this very request) cannot undo a submission.
        transaction.on_commit(partial(refresh_project_agreement.enqueue, project.pk))
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
    try:
        return _refresh(project, recompute, progress)
    except BaseException:
        ProjectAgreement.objects.filter(project=project).update(refresh_running=False)
        raise


def _refresh(project, recompute, progress) -> ProjectAgreement:
    stale = DocumentAgreement.objects.filter(project=project)
    if not recompute:
        stale = stale.exclude(version=VERSION)
    outdated = set(stale.values_list("document_id", flat=True))
    if recompute:
        outdated |= set(_twice_submitted(project))
    documents_agreement_compute(project, outdated)

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


def _twice_submitted(project: Project):
    return (
        Assignment.objects.in_project(project)
        .filter(status=Assignment.Status.SUBMITTED)
        .values("document_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values_list("document_id", flat=True)
    )


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
