"""Writing the gold to a file (or, for Hugging Face, a folder) in one of the export formats.

The command line calls this, and so will the API and the export page: one place decides what
each format holds. Documents stream through: one batch of them is in memory at a time (the
spaCy DocBin, which spaCy builds in memory, is the exception).
"""

import csv
import hashlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from django.db import transaction

from ..domain.exporters import (
    HF_SPLIT_NAMES,
    ExportDocument,
    Problem,
    UnwritableValue,
    brat_ann,
    casualty_rows,
    conll_lines,
    dataset_card,
    hf_record,
    iob2_names,
    json_line,
    jsonl_lines,
)
from ..domain.splits import assign_splits, check_ratios
from ..models import AuditEvent, Project, ProjectAgreement
from .audit import audit_record
from .errors import ServiceError
from .exports import ExportOptions, gold_documents, gold_documents_count, read_snapshot

FORMATS = ("jsonl", "layers", "conll", "brat", "casualty", "spacy", "hf")
SPLIT_FORMATS = ("jsonl", "layers", "hf")
DEFAULT_RATIOS = (0.8, 0.1, 0.1)


@dataclass
class ExportResult:
    documents: int
    problems: list[Problem]


def gold_export(
    *,
    project: Project,
    format: str,
    path: Path,
    include_auto_accepted: bool = False,
    ratios: tuple[float, float, float] | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the project's gold to `path`; `progress(done, total)` is told as documents go.

    Everything is read from one snapshot of the database: reviews finished while the export
    runs are in it entirely or not at all.
    """
    export_check(format, ratios)
    if format == "hf" and ratios is None:
        ratios = DEFAULT_RATIOS
    options = ExportOptions(include_auto_accepted=include_auto_accepted, layers=format == "layers")
    with read_snapshot():
        total = gold_documents_count(project, options)
        documents = _counted(gold_documents(project, options), total, progress)
        if ratios is not None:
            documents = _with_splits(project, options, ratios, seed, documents)
        problems: list[Problem] = []
        try:
            _WRITERS[format](project, documents, path, problems)
        except UnwritableValue as error:
            raise ServiceError(str(error)) from None
    return ExportResult(total, problems)


def export_check(format: str, ratios: tuple[float, float, float] | None) -> None:
    """Refuse a format or splits an export cannot make, before any work starts."""
    if format not in FORMATS:
        raise ServiceError(f"Unknown format '{format}'.", field="format")
    if ratios is not None and format not in SPLIT_FORMATS:
        raise ServiceError("Only the jsonl, layers and hf formats carry splits.", field="splits")
    if ratios is not None:
        try:
            check_ratios(ratios)
        except ValueError as error:
            raise ServiceError(str(error), field="splits") from None


# What the API streams as it goes: formats that are text a line at a time, and that no span
# can fail to fit (CoNLL reports what it cannot hold, so it is written to a file first).
STREAMED = {
    "jsonl": "application/x-ndjson",
    "layers": "application/x-ndjson",
    "casualty": "text/csv",
}


class _Echo:
    """A file whose write returns the text: csv.writer a row at a time, for streaming."""

    def write(self, text: str) -> str:
        return text


def gold_stream(
    *,
    project: Project,
    format: str,
    include_auto_accepted: bool = False,
    ratios: tuple[float, float, float] | None = None,
    seed: int = 0,
    actor=None,
) -> Iterator[str]:
    """The export as text, a document (or a CSV row) at a time, for a streamed response. The
    download is written to the audit log as `actor`'s when it starts: what follows streams
    outside any transaction."""
    if format not in STREAMED:
        raise ServiceError(
            f"'{format}' is not streamed: use one of {', '.join(STREAMED)}.", field="format"
        )
    export_check(format, ratios)
    export_download_record(
        project=project,
        actor=actor,
        format=format,
        summary=f"Downloaded the gold streamed as {format}"
        + (", with documents accepted without review" if include_auto_accepted else ""),
        details={
            "streamed": True,
            "include_auto_accepted": include_auto_accepted,
            "ratios": list(ratios) if ratios is not None else None,
            "seed": seed,
        },
    )
    options = ExportOptions(include_auto_accepted=include_auto_accepted, layers=format == "layers")
    documents = gold_documents(project, options)
    if ratios is not None:
        documents = _with_splits(project, options, ratios, seed, documents)
    if format == "casualty":
        writer = csv.writer(_Echo())
        return (writer.writerow(row) for row in casualty_rows(documents))
    return jsonl_lines(documents, layers=format == "layers")


def export_download_record(*, project: Project, actor, format: str, summary: str, details: dict):
    """Write to the audit log that `actor` (None: the command line) took the project's gold
    away in `format`: as a file, a stream, or written by the command line."""
    with transaction.atomic():
        audit_record(
            project=project,
            actor=actor,
            action=AuditEvent.Action.EXPORT_DOWNLOADED,
            summary=summary,
            details={"format": format, **details},
        )


SUFFIXES = {
    "jsonl": "jsonl",
    "layers": "jsonl",
    "conll": "conll",
    "brat": "zip",
    "casualty": "csv",
    "spacy": "spacy",
    "hf": "zip",
}


def export_download(
    *,
    project: Project,
    format: str,
    folder: Path,
    include_auto_accepted: bool = False,
    ratios: tuple[float, float, float] | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, str, ExportResult]:
    """Export into `folder` as one file to send: its path, the name to send it under, and what
    was exported. The Hugging Face folder is zipped."""
    name = f"{project.slug}-gold-{format}.{SUFFIXES.get(format, 'out')}"
    target = folder / ("hf" if format == "hf" else name)
    result = gold_export(
        project=project,
        format=format,
        path=target,
        include_auto_accepted=include_auto_accepted,
        ratios=ratios,
        seed=seed,
        progress=progress,
    )
    if format == "hf":
        archive = folder / name
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for item in sorted(target.iterdir()):
                out.write(item, f"{project.slug}-gold/{item.name}")
        target = archive
    return target, name, result


def _counted(documents, total, progress) -> Iterator[ExportDocument]:
    for done, document in enumerate(documents, start=1):
        yield document
        if progress:
            progress(done, total)


def _with_splits(project, options, ratios, seed, documents) -> Iterator[ExportDocument]:
    # A first pass over the texts: which documents share paragraphs decides the splits.
    texts_only = ExportOptions(include_auto_accepted=options.include_auto_accepted)
    texts = ((document.id, document.text) for document in gold_documents(project, texts_only))
    try:
        assigned = assign_splits(texts, ratios, seed)
    except ValueError as error:
        raise ServiceError(str(error), field="splits") from None
    for document in documents:
        yield replace(document, split=assigned[document.id])


def _jsonl(project, documents, path: Path, problems, *, layers=False) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(jsonl_lines(documents, layers=layers))


def _layers(project, documents, path: Path, problems) -> None:
    _jsonl(project, documents, path, problems, layers=True)


def _conll(project, documents, path: Path, problems) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(conll_lines(documents, problems))


def _casualty(project, documents, path: Path, problems) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(casualty_rows(documents))


def _brat(project, documents, path: Path, problems) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            archive.writestr(_zip_entry(f"{document.id}.txt"), document.text)
            archive.writestr(_zip_entry(f"{document.id}.ann"), brat_ann(document))


def _zip_entry(name: str) -> zipfile.ZipInfo:
    # A fixed date, not the time of writing: the same gold makes the same bytes, so an export
    # can be checked against another (or against one made before a backup was restored).
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry


def _spacy(project, documents, path: Path, problems) -> None:
    try:
        from ..domain.exporters_spacy import docbin_bytes
    except ImportError:  # pragma: no cover - spaCy is installed with [dev]
        raise ServiceError(
            "The spacy format needs spaCy: pip install 'annotator[spacy]'."
        ) from None
    path.write_bytes(docbin_bytes(documents, problems))


def _hf(project, documents, folder: Path, problems) -> None:
    """A Hugging Face dataset folder: one JSONL file per split and the dataset card."""
    folder.mkdir(parents=True, exist_ok=True)
    names = iob2_names(project.labels.order_by("position", "key").values_list("key", flat=True))
    # A split's file is made with its first example: `datasets` refuses a split with no data.
    counts: dict[str, int] = {}
    sizes: dict[str, int] = {}
    files = {}
    try:
        for document in documents:
            split = HF_SPLIT_NAMES[document.split]
            if split not in files:
                files[split] = (folder / f"{split}.jsonl").open("w", encoding="utf-8")
            record = json_line(hf_record(document, names, problems))
            files[split].write(record + "\n")
            counts[split] = counts.get(split, 0) + 1
            sizes[split] = sizes.get(split, 0) + len(record.encode()) + 1
    finally:
        for file in files.values():
            file.close()
    splits = {
        name: (counts[name], sizes[name]) for name in HF_SPLIT_NAMES.values() if name in counts
    }
    figures = ProjectAgreement.objects.filter(project=project).values_list("figures", flat=True)
    guidelines = hashlib.sha256(project.guidelines.encode()).hexdigest()[:12]
    (folder / "README.md").write_text(
        dataset_card(
            title=project.name,
            names=names,
            splits=splits,
            agreement=_headline(next(iter(figures), None) or {}),
            guidelines_version=f"sha256 {guidelines}",
        ),
        encoding="utf-8",
    )


def _headline(figures: dict) -> dict:
    if not figures.get("documents"):
        return {}
    return {
        "documents with two or more annotations": figures["documents"],
        "span F1, exact (micro)": figures["f1"]["exact"]["micro"],
        "span F1, overlapping (micro)": figures["f1"]["overlap"]["micro"],
        "Krippendorff's unitizing alpha": figures["unitizing"]["alpha"],
        "token Krippendorff's alpha": figures["tokens_agreement"]["alpha"],
    }


_WRITERS = {
    "jsonl": _jsonl,
    "layers": _layers,
    "conll": _conll,
    "casualty": _casualty,
    "brat": _brat,
    "spacy": _spacy,
    "hf": _hf,
}
