"""Document import: files in, documents out, all or nothing."""

from collections.abc import Iterable
from pathlib import PurePath
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone

from ..domain.attributes import clean_attributes, without_derived
from ..domain.documents import text_sha256
from ..domain.importers import DocumentRecord, ImportReport, RowError, read_documents
from ..models import Document, GoldSpan, Project, Review, ReviewEvent, random_shuffle_key

IMPORT_BATCH_SIZE = 1000


def document_import(
    *,
    project: Project,
    files: Iterable[tuple[str, BinaryIO]],
    skip_invalid: bool = False,
) -> ImportReport:
    """Import documents from (name, binary stream) pairs, streaming, in batches.

    All or nothing unless `skip_invalid`: one transaction covers every file, so an import that
    fails or is killed part-way leaves the project as it was. Identical text or an external id
    already present with the same text is a duplicate; a known external id with different text
    is a rejected row.
    """
    batch = _ImportBatch(project)
    errors: list[RowError] = []
    with transaction.atomic():
        for source, stream in files:
            for row in read_documents(source, stream):
                if isinstance(row, RowError):
                    errors.append(row)
                    continue
                batch.add(row)
                if len(batch) >= IMPORT_BATCH_SIZE:
                    errors.extend(batch.flush())
        errors.extend(batch.flush())
        committed = skip_invalid or not errors
        if not committed:
            transaction.set_rollback(True)
    errors.sort(key=lambda error: (error.source, error.line))
    return ImportReport(
        created=batch.created,
        duplicates=batch.duplicates,
        errors=tuple(errors),
        committed=committed,
        gold_spans=batch.gold_spans,
    )


class _ImportBatch:
    """Records waiting to be inserted, checked against the database one batch at a time.

    Earlier batches are already inserted (inside the import's transaction), so checking each
    batch against the database also catches duplicates across batches and files, with memory
    bounded by the batch size rather than the import size.
    """

    def __init__(self, project: Project):
        self.project = project
        self.records: list[DocumentRecord] = []
        self.created = 0
        self.duplicates = 0
        self.gold_spans = 0
        self.labels = {label.key: label for label in project.labels.all()}

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
        gold: list[tuple[Document, DocumentRecord]] = []
        for record, sha256 in zip(records, hashes, strict=True):
            problem = self.gold_problem(record)
            if problem:
                errors.append(RowError(record.source, record.line, problem))
                continue
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
            if sha256 in known_texts:
                self.duplicates += 1
                continue
            known_texts.add(sha256)
            if record.external_id:
                text_of_external_id[record.external_id] = sha256
            new_documents.append((record, sha256))
            if record.gold:
                gold.append((Document(project=self.project, sha256=sha256), record))
        _insert_documents(self.project, new_documents)
        self.created += len(new_documents)
        if gold:
            ids = dict(
                documents.filter(sha256__in=[d.sha256 for d, _ in gold]).values_list("sha256", "pk")
            )
            for document, _ in gold:
                document.pk = ids[document.sha256]
        self.store_gold(gold)
        return errors

    def gold_problem(self, record: DocumentRecord) -> str | None:
        """What is wrong with the record's gold spans in this project: labels, attributes."""
        for number, span in enumerate(record.gold, start=1):
            label = self.labels.get(span.label)
            if label is None:
                return f"spans[{number}].label: the project has no label '{span.label}'"
            cleaned = self.attributes(record, span)
            if cleaned.errors:
                name, reason = next(iter(cleaned.errors.items()))
                return f"spans[{number}].attributes.{name}: {reason}"
        return None

    def store_gold(self, gold: list[tuple[Document, DocumentRecord]]) -> None:
        """Exported gold comes back as gold: a finished review, its spans, and why."""
        if not gold:
            return
        reviews = Review.objects.bulk_create(
            Review(
                document=document,
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
            for span in record.gold:
                spans.append(
                    GoldSpan(
                        document=document,
                        label=self.labels[span.label],
                        start=span.start,
                        end=span.end,
                        attributes=self.attributes(record, span).values,
                        decision=span.decision,
                    )
                )
        self.gold_spans += len(GoldSpan.objects.bulk_create(spans))

    def attributes(self, record: DocumentRecord, span):
        """The span's attributes checked for its label; derived ones (an export carries them)
        are computed again rather than taken on trust."""
        specs = self.labels[span.label].attribute_specs
        entered = without_derived(specs, span.attributes)
        return clean_attributes(specs, entered, record.text[span.start : span.end])


_COLUMNS = (
    "project",
    "external_id",
    "title",
    "text",
    "sha256",
    "metadata",
    "source_name",
    "shuffle_key",
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
            created_at,
        )
        for record, sha256 in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
