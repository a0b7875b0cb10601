"""The project's gold as export records, read a batch of documents at a time.

Only documents whose review is done are gold: a lead's, and with `include_auto_accepted` those
every annotator agreed on exactly (accepted without review). Annotators appear under stable
pseudonyms ("annotator-1", … in the order of their accounts), the same in every document.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from ..domain.exporters import ExportDocument, ExportLink, ExportSpan
from ..domain.ignored import mask
from ..models import Assignment, Document, GoldLink, GoldSpan, IgnoredRegion, Project, Review
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


_snapshots = threading.local()


@contextmanager
def read_snapshot():
    """Read everything inside from one snapshot of the database, without stopping writers.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite: a deferred transaction, whose
    first read fixes what it sees (WAL); the IMMEDIATE mode set for writes would hold the write
    lock, and so stop every annotator, for the whole export. Inside a transaction already open
    (a caller's, or a test's) that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    with _deferred_begin(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _snapshots.open = True
        try:
            yield
        finally:
            _snapshots.open = False


@contextmanager
def _deferred_begin():
    if connection.vendor != "sqlite":
        yield
        return
    mode = connection.transaction_mode
    connection.transaction_mode = "DEFERRED"
    try:
        yield
    finally:
        connection.transaction_mode = mode


def write_beside_snapshot(write: Callable[[], object]) -> None:
    """Run `write` so that others see it now: from inside a read snapshot that means on another
    connection (a thread of its own), since the snapshot's transaction is read-only and
    commits only at the end."""
    if not getattr(_snapshots, "open", False):
        write()
        return

    def run() -> None:
        try:
            write()
        finally:
            connection.close()

    writer = threading.Thread(target=run)
    writer.start()
    writer.join()


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
    # Plain rows, not model instances: building those was most of an export's time.
    spans: dict[int, list[ExportSpan]] = {pk: [] for pk in ids}
    gold = GoldSpan.objects.filter(document_id__in=ids).values_list(
        "document_id",
        "start",
        "end",
        "label__key",
        "attributes",
        "decision",
        "exact_annotators",
        "variant_annotators",
    )
    for document, start, end, label, attributes, decision, exact, variants in gold:
        spans[document].append(
            ExportSpan(
                start=start,
                end=end,
                label=label,
                attributes=attributes,
                decision=decision,
                annotators=tuple(names.get(a, f"annotator-{a}") for a in exact),
                variants=tuple(names.get(a, f"annotator-{a}") for a in variants),
            )
        )
    links: dict[int, list[ExportLink]] = {pk: [] for pk in ids}
    # A review's primary key is its document's.
    for document, kind, *ends in GoldLink.objects.filter(review_id__in=ids).values_list(
        "review_id",
        "kind",
        "source__start",
        "source__end",
        "source__label__key",
        "target__start",
        "target__end",
        "target__label__key",
    ):
        links[document].append(ExportLink(kind, tuple(ends[:3]), tuple(ends[3:])))
    codings = submitted_codings(project, ids)[0] if options.layers else {}
    ignored: dict[int, list[tuple[int, int]]] = {pk: [] for pk in ids}
    for document, start, end in IgnoredRegion.objects.filter(document_id__in=ids).values_list(
        "document_id", "start", "end"
    ):
        ignored[document].append((start, end))
    documents = (
        Document.objects.filter(pk__in=ids)
        .order_by("id")
        .values_list(
            "pk",
            "text",
            "external_id",
            "title",
            "sha256",
            "metadata",
            "agreement__score",
            "agreement__annotators",
        )
    )
    for pk, text, external_id, title, sha256, metadata, score, annotators in documents:
        layers = {
            names.get(annotator, f"annotator-{annotator}"): tuple(
                ExportSpan(s.start, s.end, s.label, s.attributes) for s in annotated
            )
            for annotator, annotated in codings.get(pk, {}).items()
        }
        yield ExportDocument(
            id=pk,
            text=text,
            spans=tuple(spans[pk]),
            external_id=external_id,
            title=title,
            sha256=sha256,
            metadata=metadata,
            agreement=None
            if score is None
            else {"exact_f1": round(score, 6), "annotators": annotators},
            layers=layers,
            ignored=tuple(mask(len(text), ignored[pk])),
            links=tuple(links[pk]),
        )
