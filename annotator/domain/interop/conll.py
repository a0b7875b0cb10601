"""CoNLL-2003 / IOB2 token files: a token a line, its tag in the last column, a blank line
between sentences, `-DOCSTART-` between documents. CoNLL keeps no text, so each document's
text is rebuilt: its tokens joined by single spaces, a sentence a line; the spans are the
tagged token runs on that text. The file's name is the annotator's."""

from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from ..import_records import Annotation, DocumentRecord, ImportRow, RowError, SpanRecord
from ..importers import decoded_lines, make_record

TOOL = "conll"


def read_conll(source: str, stream: BinaryIO) -> Iterator[ImportRow]:
    annotator = f"{TOOL}-{PurePath(source).stem}"
    document = _Document(source, annotator)
    for number, line in enumerate(decoded_lines(stream), start=1):
        columns = line.split()
        if columns and columns[0] == "-DOCSTART-":
            yield from document.finish()
            document = _Document(source, annotator, number + 1)
        elif not columns:
            document.end_sentence()
        elif len(columns) < 2:
            yield RowError(source, number, "expected a token and its tag")
            document.broken = True
        else:
            problem = document.add(columns[0], columns[-1])
            if problem:
                yield RowError(source, number, problem)
                document.broken = True
    yield from document.finish()


class _Document:
    def __init__(self, source: str, annotator: str, line: int = 1):
        self.source, self.annotator, self.line = source, annotator, line
        self.text = ""
        self.sentence_open = False
        self.spans: list[SpanRecord] = []
        self.open: tuple[int, int, str] | None = None  # start, end, label of the current span
        self.broken = False

    def add(self, token: str, tag: str) -> str | None:
        if self.text and not self.text.endswith("\n"):
            self.text += " "
        start = len(self.text)
        self.text += token
        self.sentence_open = True
        if tag == "O":
            self._close()
            return None
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or not label:
            return f"'{tag}' is not an IOB2 tag (O, B-LABEL or I-LABEL)"
        if prefix == "I" and self.open and self.open[2] == label:
            self.open = (self.open[0], len(self.text), label)
            return None
        self._close()  # an I- after O or another label starts a span, as in IOB1 readers
        self.open = (start, len(self.text), label)
        return None

    def end_sentence(self) -> None:
        self._close()
        if self.sentence_open:
            self.text += "\n"
            self.sentence_open = False

    def finish(self) -> Iterator[ImportRow]:
        self.end_sentence()
        if self.broken or not self.text.strip():
            return
        record = make_record(self.source, self.line, {"text": self.text}, meta={})
        if isinstance(record, DocumentRecord):
            annotation = Annotation(self.annotator, tuple(self.spans))
            record = DocumentRecord(
                source=record.source,
                line=record.line,
                text=record.text,
                title=record.title,
                annotations=(annotation,),
            )
        yield record

    def _close(self) -> None:
        if self.open:
            self.spans.append(SpanRecord(*self.open))
            self.open = None
