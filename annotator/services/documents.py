"""Document import: files in, documents out, all or nothing."""

from collections.abc import Iterable
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..domain.attributes import clean_attributes, without_derived
from ..domain.audit import file_name_shown, names_listed
from ..domain.documents import text_sha256
from ..domain.importers import FORMATS, DocumentRecord, ImportReport, RowError, read_documents
from ..models import (
    AuditEvent,
    Document,
    GoldSpan,
    Project,
    Review,
    ReviewEvent,
    random_shuffle_key,
)
from .agreement import agreement_refresh_request, documents_agreement_compute
from .audit import audit_record
from .errors import ServiceError
from .imported_annotations import (
    GOLD,
    AnnotationImport,
    AnnotationOptions,
    distinct,
    gold_links_store,
    ignored_regions_store,
    options_problem,
    spans_to_keep,
)
from .passages import passages_refresh_request
from .reviews import review_auto_accept

IMPORT_BATCH_SIZE = 1000
AUDITED_FILES = 100  # file names kept in an import's audit entry; the count says the rest


def document_import(
    *,
    project: Project,
    files: Iterable[tuple[str, BinaryIO]],
    skip_invalid: bool = False,
    annotations: AnnotationOptions = GOLD,
    format: str | None = None,
    actor=None,
) -> ImportReport:
    """Import documents from (name, binary stream) pairs, streaming, in batches.

    All or nothing unless `skip_invalid`: one transaction covers every file, so an import that
    fails or is killed part-way leaves the project as it was. A file that is not UTF-8 text, or
    larger than settings.ANNOTATOR_MAX_IMPORT_BYTES, is refused whole and imports nothing.
    Identical text or an external id already present with the same text is a duplicate; a
    known external id with different text is a rejected row.

    Spans a file brings (our export's gold and layers, other tools' annotations) become what
    `annotations.mode` says: nothing, annotators' submitted work, or gold. Each file's name
    says how to read it, unless `format` does. A committed import is written to the audit log
    as `actor`'s (None: the command line).
    """
    if format is not None and format not in FORMATS:
        raise ServiceError(f"Unknown format '{format}'.", field="format")
    refusal = options_problem(annotations)
    if refusal:
        raise ServiceError(refusal, field="annotations")
    batch = _ImportBatch(project, annotations)
    errors: list[RowError] = []
    sources: list[str] = []
    with transaction.atomic():
        for source, stream in files:
            sources.append(source)
            for row in read_documents(
                source, stream, format, max_bytes=settings.ANNOTATOR_MAX_IMPORT_BYTES
            ):
                if isinstance(row, RowError):
                    errors.append(row)
                    continue
                batch.add(row)
                if len(batch) >= IMPORT_BATCH_SIZE:
                    errors.extend(batch.flush())
        errors.extend(batch.flush())
        # A file refused whole (not text, too large) imports nothing, even when skipping.
        refused = any(error.whole_file for error in errors)
        committed = not refused and (skip_invalid or not errors)
        if committed:
            batch.finish()
            _audit_import(project, actor, sources, batch, rejected=len(errors))
            if batch.created:
                passages_refresh_request(project)
        else:
            transaction.set_rollback(True)
    errors.sort(key=lambda error: (error.source, error.line))
    return ImportReport(
        created=batch.created,
        duplicates=batch.duplicates,
        errors=tuple(errors),
        committed=committed,
        gold_spans=batch.gold_spans,
        annotations=batch.annotations.assignments,
        utf16_spans=batch.utf16_spans,
    )


class _ImportBatch:
    """Records waiting to be inserted, checked against the database one batch at a time.

    Earlier batches are already inserted (inside the import's transaction), so checking each
    batch against the database also catches duplicates across batches and files, with memory
    bounded by the batch size rather than the import size.
    """

    def __init__(self, project: Project, options: AnnotationOptions):
        self.project = project
        self.options = options
        self.records: list[DocumentRecord] = []
        self.created = 0
        self.duplicates = 0
        self.gold_spans = 0
        self.utf16_spans = 0
        self.annotations = AnnotationImport(project, options)
        self.labels = self.annotations.labels  # one dict: labels an import makes are in it
        self.gold_sources: dict[str, DocumentRecord] = {}  # texts given gold by this import

    def __len__(self) -> int:
        return len(self.records)

    def add(self, record: DocumentRecord) -> None:
        self.records.append(record)

    def flush(self) -> list[RowError]:
        records, self.records = self.records, []
        if not records:
            return []
        hashes = [text_sha256(record.text) for record in records]
        documents = Document.objects.filter(project=self.project)
        known_texts = set(documents.filter(sha256__in=set(hashes)).values_list("sha256", flat=True))
        external_ids = {record.external_id for record in records if record.external_id}
        text_of_external_id = dict(
            documents.filter(external_id__in=external_ids).values_list("external_id", "sha256")
        )
        errors: list[RowError] = []
        new_documents: list[tuple[DocumentRecord, str]] = []
        with_spans: list[tuple[str, DocumentRecord]] = []  # stored once the texts have ids
        for record, sha256 in zip(records, hashes, strict=True):
            kept = spans_to_keep(record, self.options.mode)
            problem = kept if isinstance(kept, str) else self.span_problem(kept)
            if problem:
                # Named by its id too: a whole export may be one line.
                named = f"document '{record.external_id}': " if record.external_id else ""
                errors.append(RowError(record.source, record.line, named + problem))
                continue
            record = kept
            known_text = text_of_external_id.get(record.external_id)
            if known_text is not None and known_text != sha256:
                errors.append(
                    RowError(
                        record.source,
                        record.line,
                        f"external id '{record.external_id}' is already used by a different text",
                    )
                )
                continue
            if record.gold_given and sha256 in self.gold_sources:
                first = self.gold_sources[sha256]
                errors.append(
                    RowError(
                        record.source,
                        record.line,
                        f"the same text was given gold at {first.source}:{first.line}; import "
                        "the files as annotators' work to compare and adjudicate them",
                    )
                )
                continue
            self.utf16_spans += record.utf16_spans
            if sha256 in known_texts:
                # Another annotator's work on a text already here (doccano writes a file per
                # annotator) is added to it; a text bringing nothing new is a duplicate.
                if record.annotations:
                    self.annotations.make_labels(record)
                    with_spans.append((sha256, record))
                else:
                    self.duplicates += 1
                continue
            self.annotations.make_labels(record)
            if record.gold_given:
                self.gold_sources[sha256] = record
            known_texts.add(sha256)
            if record.external_id:
                text_of_external_id[record.external_id] = sha256
            new_documents.append((record, sha256))
            if record.gold_given or record.annotations:
                with_spans.append((sha256, record))
        _insert_documents(self.project, new_documents)
        self.created += len(new_documents)
        with_regions = [(sha256, record) for record, sha256 in new_documents if record.ignored]
        if with_spans or with_regions:
            wanted = {sha256 for sha256, _ in with_spans + with_regions}
            ids = dict(documents.filter(sha256__in=wanted).values_list("sha256", "pk"))
            ignored_regions_store([(ids[sha256], record) for sha256, record in with_regions])
            self.store_gold(
                [(ids[sha256], record) for sha256, record in with_spans if record.gold_given]
            )
            self.duplicates += self.annotations.store(
                [(ids[sha256], record) for sha256, record in with_spans if record.annotations]
            )
        return errors

    def span_problem(self, record: DocumentRecord) -> str | None:
        """What is wrong with the record's spans in this project: labels, gold attributes."""
        spans = [(f"spans[{number}]", span) for number, span in enumerate(record.gold, start=1)]
        spans += [
            (f"{annotation.annotator}[{number}]", span)
            for annotation in record.annotations
            for number, span in enumerate(annotation.spans, start=1)
        ]
        problem = self.annotations.label_problem(spans)
        if problem:
            return problem
        for number, span in enumerate(record.gold, start=1):
            cleaned = self.attributes(record, span)
            if cleaned.errors:
                name, reason = next(iter(cleaned.errors.items()))
                return f"spans[{number}].attributes.{name}: {reason}"
        return None

    def finish(self) -> None:
        """Imported annotations count as submitted here: their documents' agreement, the
        project's figures, and unanimous documents accepted when the project says so."""
        touched = self.annotations.documents
        if not touched:
            return
        documents_agreement_compute(self.project, touched)
        agreement_refresh_request(self.project)
        for document in Document.objects.filter(pk__in=touched).select_related("project"):
            review_auto_accept(document)

    def store_gold(self, gold: list[tuple[int, DocumentRecord]]) -> None:
        """Exported gold comes back as gold: a finished review, its spans, and why."""
        if not gold:
            return
        reviews = Review.objects.bulk_create(
            Review(
                document_id=document,
                project=self.project,
                status=Review.Status.DONE,
                finished_at=timezone.now(),
            )
            for document, _ in gold
        )
        ReviewEvent.objects.bulk_create(
            ReviewEvent(
                review=review,
                action="import",
                summary=f"Imported as gold from {record.source}:{record.line}"[:300],
            )
            for review, (_, record) in zip(reviews, gold, strict=True)
        )
        spans = []
        for document, record in gold:
            for span in distinct(record.gold):
                spans.append(
                    GoldSpan(
                        document_id=document,
                        label=self.labels[span.label],
                        start=span.start,
                        end=span.end,
                        attributes=self.attributes(record, span).values,
                        decision=span.decision,
                    )
                )
        spans = GoldSpan.objects.bulk_create(spans)
        self.gold_spans += len(spans)
        gold_links_store(
            [(review, record) for review, (_, record) in zip(reviews, gold, strict=True)], spans
        )

    def attributes(self, record: DocumentRecord, span):
        """The span's attributes checked for its label; derived ones (an export carries them)
        are computed again rather than taken on trust."""
        # A label the import is to make has no attribute schema yet.
        specs = self.labels[span.label].attribute_specs if span.label in self.labels else ()
        entered = without_derived(specs, span.attributes)
        return clean_attributes(specs, entered, record.text[span.start : span.end])


def _audit_import(project, actor, sources, batch: "_ImportBatch", *, rejected: int) -> None:
    names = [file_name_shown(source) for source in sources]
    counts = f"{batch.created} new, {batch.duplicates} duplicates"
    if rejected:
        counts += f", {rejected} rows skipped as invalid"
    if batch.gold_spans:
        counts += f", {batch.gold_spans} gold spans"
    if batch.annotations.assignments:
        counts += f", {batch.annotations.assignments} annotations by annotators"
    audit_record(
        project=project,
        actor=actor,
        action=AuditEvent.Action.DOCUMENTS_IMPORTED,
        summary=f"Imported {names_listed(names, 'file')}: {counts}",
        details={
            "files": names[:AUDITED_FILES],
            "file_count": len(names),
            "created": batch.created,
            "duplicates": batch.duplicates,
            "rejected": rejected,
            "gold_spans": batch.gold_spans,
            "annotations": batch.annotations.assignments,
        },
    )


_COLUMNS = (
    "project",
    "external_id",
    "title",
    "text",
    "sha256",
    "metadata",
    "source_name",
    "shuffle_key",
    "places_taken",
    "created_at",
)


def _insert_documents(project: Project, rows: list[tuple[DocumentRecord, str]]) -> None:
    """One INSERT run many times: bulk_create builds a model and compiles every value of every
    row, which was half of an import's time. The values are prepared as the ORM would."""
    if not rows:
        return
    fields = [Document._meta.get_field(name) for name in _COLUMNS]
    metadata = fields[_COLUMNS.index("metadata")]
    created_at = fields[_COLUMNS.index("created_at")].get_db_prep_save(timezone.now(), connection)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Document._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = [
        (
            project.pk,
            record.external_id,
            record.title,
            record.text,
            sha256,
            metadata.get_db_prep_save(record.meta, connection),
            # The file name, not the importer's local path: errors name the path.
            PurePath(record.source).name[-255:],
            random_shuffle_key(),
            0,
            created_at,
        )
        for record, sha256 in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
