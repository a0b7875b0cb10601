"""What the importers read: documents, their spans and annotations, and row errors.

Pure values, shared by the readers of our own formats (`importers`) and of other tools'
exports (`interop`), and by the import service that stores them.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocumentRecord:
    source: str
    line: int
    text: str
    title: str
    external_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    gold: tuple["SpanRecord", ...] = ()
    # The file says what the gold is (our export's "spans"), even when it is no span at all.
    gold_given: bool = False
    # Each annotator's spans, from another tool's export or our own `layers` export.
    annotations: tuple["Annotation", ...] = ()
    utf16_spans: int = 0  # spans whose offsets were UTF-16 units, converted to code points
    links: tuple["LinkRecord", ...] = ()  # between the gold spans
    # [start, end) stretches not to annotate (our export's mask): sorted, not overlapping.
    ignored: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SpanRecord:
    """A span read from a file, checked against its text (not yet against the labels)."""

    start: int
    end: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    decision: str = "accepted"  # of a gold span

    @property
    def key(self) -> "SpanKey":
        return self.start, self.end, self.label


type SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class LinkRecord:
    """A link (`domain.links.KINDS`) between two spans of one record, named by their keys: a
    file may hold a span twice, and the import keeps it once (`distinct`)."""

    kind: str
    source: SpanKey
    target: SpanKey


@dataclass(frozen=True)
class Annotation:
    """One annotator's spans on a document, as the source tool names the annotator."""

    annotator: str
    spans: tuple[SpanRecord, ...]
    ground_truth: bool = False  # the tool marks it as the reference annotation
    links: tuple[LinkRecord, ...] = ()


@dataclass(frozen=True)
class RowError:
    source: str
    line: int
    reason: str
    # The file as a whole is refused (not text, too large, unreadable past this line): no row
    # of it is imported, whatever the caller asked about skipping bad rows.
    whole_file: bool = False

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


type ImportRow = DocumentRecord | RowError


@dataclass(frozen=True)
class ImportReport:
    """What an import did. `created` counts new documents even when the import was rolled back,
    so the report can say how many good rows a --skip-invalid run would import."""

    created: int
    duplicates: int
    errors: tuple[RowError, ...]
    committed: bool
    gold_spans: int = 0  # spans of exported gold documents, imported as gold
    annotations: int = 0  # annotators' annotations, imported as their submitted work
    utf16_spans: int = 0  # spans whose offsets were converted from UTF-16 units

    @property
    def imported(self) -> int:
        return self.created if self.committed else 0

    @property
    def rejected(self) -> int:
        return len(self.errors)

    @property
    def refused_files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(error.source for error in self.errors if error.whole_file))

    def summary(self) -> str:
        counts = (
            f"{self.imported} imported, {self.duplicates} duplicates skipped, "
            f"{self.rejected} rejected"
        )
        if self.gold_spans:
            counts += f", with {self.gold_spans} gold span{'' if self.gold_spans == 1 else 's'}"
        if self.annotations:
            counts += (
                f", with {self.annotations} annotation{'' if self.annotations == 1 else 's'} "
                "by annotators"
            )
        if self.utf16_spans:
            counts += (
                f"; {self.utf16_spans} span{'' if self.utf16_spans == 1 else 's'} had offsets "
                "in UTF-16 units, converted to code points"
            )
        if self.committed:
            return counts
        if self.refused_files:
            files = "the file" if len(self.refused_files) == 1 else "those files"
            return (
                f"{counts}. Nothing was imported: {', '.join(self.refused_files)} cannot be "
                f"imported at all (see why below). Fix or leave out {files} and import again."
            )
        return (
            f"{counts}. Nothing was imported because of the rejected rows: fix them, "
            f"or skip invalid rows to import the {self.created} good "
            f"row{'' if self.created == 1 else 's'}."
        )
