"""Document import: files in, documents out, all or nothing."""

from collections.abc import Iterable
from pathlib import PurePath
from typing import BinaryIO

from django.db import transaction

from ..domain.documents import text_sha256
from ..domain.importers import DocumentRecord, ImportReport, RowError, read_documents
from ..models import Document, Project

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
        new_documents: list[Document] = []
        for record, sha256 in zip(records, hashes, strict=True):
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
            new_documents.append(
                Document(
                    project=self.project,
                    external_id=record.external_id,
                    title=record.title,
                    text=record.text,
                    sha256=sha256,
                    metadata=record.meta,
                    # The file name, not the importer's local path: errors name the path.
                    source_name=PurePath(record.source).name[-255:],
                )
            )
        Document.objects.bulk_create(new_documents)
        self.created += len(new_documents)
        return errors
