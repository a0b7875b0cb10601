"""The gold dataset in the formats its users load: one writer per format, each streaming.

Writers take `ExportDocument`s one at a time and yield text, so an export of any size holds one
document in memory. Offsets are code points of the document text everywhere, and every span
written carries `text[start:end]`.

What a format cannot express is reported, never silently dropped: the CoNLL writer appends a
`Problem` for each span that overlaps another or that does not fall on token boundaries. JSON
is written as the standard defines it: a value JSON cannot hold (NaN, Infinity) stops the
export with an `UnwritableValue` naming the document and field, never a file other tools
cannot read.
"""

import json
import math
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .tokenize import tokenize

# Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportSpan:
    start: int
    end: int
    label: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    decision: str = ""
    annotators: tuple[str, ...] = ()  # pseudonyms of those who marked exactly this span
    variants: tuple[str, ...] = ()  # pseudonyms of those who marked a variant of it


SpanKey = tuple[int, int, str]  # (start, end, label): one gold span of a document


@dataclass(frozen=True)
class ExportLink:
    """A gold link (`domain.links.KINDS`) from a figure to another gold span of its document."""

    kind: str
    source: SpanKey
    target: SpanKey


@dataclass(frozen=True)
class ExportDocument:
    id: int
    text: str
    spans: tuple[ExportSpan, ...]
    external_id: str | None = None
    title: str = ""
    sha256: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    agreement: Mapping[str, Any] | None = None
    # pseudonym → that annotator's submitted spans, for the per-annotator layers
    layers: Mapping[str, tuple[ExportSpan, ...]] = field(default_factory=dict)
    split: str | None = None
    # [start, end) ranges a lead marked ignored (ignored.mask): not to train or score on
    ignored: tuple[tuple[int, int], ...] = ()
    links: tuple[ExportLink, ...] = ()


@dataclass(frozen=True)
class Problem:
    document: int
    span: ExportSpan
    reason: str

    def __str__(self) -> str:
        return (
            f"document {self.document}: {self.span.label} [{self.span.start}, {self.span.end})"
            f" {self.reason}"
        )


class UnwritableValue(ValueError):
    """A document holds a value JSON cannot hold; the message names the document and field."""


def json_line(record: Mapping[str, Any]) -> str:
    """`record` as one line of standard JSON (no NaN or Infinity), without its newline."""
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:
        field, value = _non_finite(record)
        shown = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        raise UnwritableValue(
            f"document {record.get('id')}: {field} is {shown}, which JSON cannot hold; "
            "correct the value and export again"
        ) from None


def _non_finite(record: Mapping[str, Any]) -> tuple[str, float]:
    # A loop over (path, value) pairs; the record is as deep as the stored JSON.
    stack: list[tuple[str, Any]] = [("", record)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path, value
        if isinstance(value, Mapping):
            stack.extend((f"{path}.{key}" if path else str(key), v) for key, v in value.items())
        elif isinstance(value, list | tuple):
            stack.extend((f"{path}[{index}]", v) for index, v in enumerate(value))
    raise AssertionError("json.dumps refused a record that holds no NaN or Infinity")


def _ordered(spans: Iterable[ExportSpan]) -> list[ExportSpan]:
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label))


def _link_numbers(document: ExportDocument) -> list[tuple[int, str, int]]:
    """(source, kind, target) of each link, as indexes into the document's spans in the order
    they are written; a link whose end is not among them is left out."""
    index = {(s.start, s.end, s.label): n for n, s in enumerate(_ordered(document.spans))}
    return sorted(
        (index[link.source], link.kind, index[link.target])
        for link in document.links
        if link.source in index and link.target in index
    )


def _span_json(span: ExportSpan, text: str) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": text[span.start : span.end],
        "attributes": dict(span.attributes),
        "decision": span.decision,
        "annotators": list(span.annotators),
        "variants": list(span.variants),
    }


def jsonl_lines(documents: Iterable[ExportDocument], *, layers: bool = False) -> Iterator[str]:
    """The canonical export: one JSON object a line, with the gold spans, their provenance and
    the document's agreement figures; with `layers`, every annotator's own spans too."""
    for document in documents:
        record: dict[str, Any] = {
            "id": document.id,
            "external_id": document.external_id,
            "title": document.title,
            "text": document.text,
            "sha256": document.sha256,
            "metadata": dict(document.metadata),
            "spans": [_span_json(span, document.text) for span in _ordered(document.spans)],
            "agreement": dict(document.agreement) if document.agreement is not None else None,
            "ignored": [list(region) for region in document.ignored],
            "links": [
                {"kind": kind, "source": source, "target": target}
                for source, kind, target in _link_numbers(document)
            ],
        }
        if document.split is not None:
            record["split"] = document.split
        if layers:
            record["annotations"] = {
                name: [_span_json(span, document.text) for span in _ordered(spans)]
                for name, spans in sorted(document.layers.items())
            }
        yield json_line(record) + "\n"


def iob2_tags(document: ExportDocument, problems: list[Problem]) -> list[tuple[str, str]]:
    """(token, tag) for each token of the text, by the one tokenizer. A span tags the tokens
    it covers more than half of; one that overlaps a span already tagged, or that tags no
    token, or whose ends fall inside a token, is reported in `problems`."""
    tokens = tokenize(document.text)
    tags = ["O"] * len(tokens)
    # Longest first, as the annotate page draws nested spans: the outer one is kept.
    for span in sorted(document.spans, key=lambda s: (s.start - s.end, s.start, s.label)):
        # Only the tokens from the one before the span's start to the span's end can overlap it.
        first = max(bisect_left(tokens, (span.start,)) - 1, 0)
        last = bisect_left(tokens, (span.end,))
        covered = [
            index
            for index in range(first, last)
            if 2 * (min(tokens[index].end, span.end) - max(tokens[index].start, span.start))
            > tokens[index].end - tokens[index].start
        ]
        if not covered:
            problems.append(Problem(document.id, span, "covers no whole token: left out"))
            continue
        if any(tags[index] != "O" for index in covered):
            problems.append(Problem(document.id, span, "overlaps another span: left out"))
            continue
        if tokens[covered[0]].start != span.start or tokens[covered[-1]].end != span.end:
            problems.append(
                Problem(document.id, span, "does not end on token boundaries: widened to them")
            )
        tags[covered[0]] = f"B-{span.label}"
        for index in covered[1:]:
            tags[index] = f"I-{span.label}"
    return [
        (document.text[token.start : token.end], tag)
        for token, tag in zip(tokens, tags, strict=True)
    ]


_SENTENCE_ENDS = {".", "!", "?", "؟"}


def conll_lines(documents: Iterable[ExportDocument], problems: list[Problem]) -> Iterator[str]:
    """CoNLL-2003-style IOB2: `-DOCSTART-`, then one `token TAG` line per token, a blank line
    after each sentence (a token . ! ? or ؟) and after each document."""
    for document in documents:
        yield "-DOCSTART- O\n\n"
        open_sentence = False
        for token, tag in iob2_tags(document, problems):
            yield f"{token} {tag}\n"
            open_sentence = True
            if token in _SENTENCE_ENDS and not tag.startswith(("B-", "I-")):
                yield "\n"
                open_sentence = False
        if open_sentence:
            yield "\n"


def brat_ann(document: ExportDocument) -> str:
    """The brat standoff annotations of a document (its `.ann`; the `.txt` is the text).

    A span across a line break is written as fragments, as brat requires; attributes become
    brat attributes (yes/no ones only when yes; lists one value joined by |)."""
    lines: list[str] = []
    attribute_number = 0
    for number, span in enumerate(_ordered(document.spans), start=1):
        fragments = _fragments(document.text, span.start, span.end)
        where = ";".join(f"{start} {end}" for start, end in fragments)
        shown = " ".join(document.text[start:end] for start, end in fragments)
        lines.append(f"T{number}\t{span.label} {where}\t{shown}")
        for name, value in sorted(span.attributes.items()):
            if value in (None, False, "", []):
                continue
            attribute_number += 1
            if value is True:
                lines.append(f"A{attribute_number}\t{name} T{number}")
            else:
                lines.append(f"A{attribute_number}\t{name} T{number} {_brat_value(value)}")
    for number, (source, kind, target) in enumerate(_link_numbers(document), start=1):
        lines.append(f"R{number}\t{kind} Arg1:T{source + 1} Arg2:T{target + 1}")
    return "".join(line + "\n" for line in lines)


def _brat_value(value: Any) -> str:
    if isinstance(value, list):
        return "|".join(_brat_value(item) for item in value)
    return "_".join(str(value).split())  # brat values hold no white space


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    fragments, cursor = [], start
    for position in range(start, end):
        if text[position] in "\n\r":
            if position > cursor:
                fragments.append((cursor, position))
            cursor = position + 1
    if end > cursor:
        fragments.append((cursor, end))
    return fragments or [(start, end)]


CASUALTY_COLUMNS = (
    "document_id",
    "external_id",
    "title",
    "start",
    "end",
    "text",
    "outcome",
    "qualifier",
    "value",
    "value_low",
    "value_best",
    "value_high",
    "victim_status",
    "victim_subgroup",
    "time_scope",
    "additive",
    "decision",
    "place",
    "perpetrator",
    "source",
)
# The casualty table's columns filled from a figure's links: column → link kind.
LINKED_COLUMNS = {"place": "located_at", "perpetrator": "perpetrator", "source": "attributed_to"}


def casualty_rows(
    documents: Iterable[ExportDocument], label: str = "CASUALTY_FIGURE"
) -> Iterator[list[str]]:
    """The header, then one row per casualty figure with its attributes; every cell that a
    spreadsheet would read as a formula starts with an apostrophe."""
    yield list(CASUALTY_COLUMNS)
    for document in documents:
        linked: dict[tuple, list[str]] = {}
        for link in sorted(document.links, key=lambda link: link.target):
            start, end, _ = link.target
            linked.setdefault((link.source, link.kind), []).append(document.text[start:end])
        for span in _ordered(document.spans):
            if span.label != label:
                continue
            key = (span.start, span.end, span.label)
            values = {
                "document_id": document.id,
                "external_id": document.external_id or "",
                "title": document.title,
                "start": span.start,
                "end": span.end,
                "text": document.text[span.start : span.end],
                "decision": span.decision,
                **{name: span.attributes.get(name) for name in CASUALTY_COLUMNS[6:16]},
                **{
                    column: linked.get((key, kind)) or None
                    for column, kind in LINKED_COLUMNS.items()
                },
            }
            yield [_cell(values[column]) for column in CASUALTY_COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "|".join(map(str, value))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def iob2_names(labels: Iterable[str]) -> list[str]:
    """The tag names, in the order of their ids: O, then B- and I- of each label."""
    return ["O", *(f"{prefix}-{label}" for label in labels for prefix in ("B", "I"))]


def hf_record(
    document: ExportDocument, names: list[str], problems: list[Problem]
) -> dict[str, Any]:
    """One Hugging Face example: the tokens with their tag ids (token classification) and the
    spans by offsets (the span form), which keeps what tags cannot (overlaps)."""
    ids = {name: number for number, name in enumerate(names)}
    tagged = iob2_tags(document, problems)
    return {
        "id": document.id,
        "external_id": document.external_id,
        "text": document.text,
        "tokens": [token for token, _ in tagged],
        "ner_tags": [ids[tag] for _, tag in tagged],
        "spans": [
            {
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "text": document.text[span.start : span.end],
            }
            for span in _ordered(document.spans)
        ],
    }


HF_SPLIT_NAMES = {"train": "train", "dev": "validation", "test": "test"}


def dataset_card(
    *,
    title: str,
    names: list[str],
    splits: Mapping[str, tuple[int, int]],
    agreement: Mapping[str, Any] | None,
    guidelines_version: str,
) -> str:
    """README.md for the Hugging Face export: YAML front matter (features with the tag names,
    splits with their examples and bytes, data files) and a card that says what the data is
    and how far to trust it. Strings are written as JSON strings, which YAML reads as such."""
    q = json.dumps
    lines = [
        "---",
        f"pretty_name: {q(title)}",
        "task_categories:",
        "- token-classification",
        "license: other",
        "dataset_info:",
        "  features:",
        "  - name: id",
        "    dtype: int64",
        "  - name: external_id",
        "    dtype: string",
        "  - name: text",
        "    dtype: string",
        "  - name: tokens",
        "    sequence: string",
        "  - name: ner_tags",
        "    sequence:",
        "      class_label:",
        "        names:",
        *(f"          '{number}': {q(name)}" for number, name in enumerate(names)),
        "  - name: spans",
        "    list:",
        "    - name: start",
        "      dtype: int64",
        "    - name: end",
        "      dtype: int64",
        "    - name: label",
        "      dtype: string",
        "    - name: text",
        "      dtype: string",
        "  splits:",
        *(
            line
            for split, (count, size) in splits.items()
            for line in (
                f"  - name: {split}",
                f"    num_bytes: {size}",
                f"    num_examples: {count}",
            )
        ),
        "configs:",
        "- config_name: default",
        "  data_files:",
        *(line for split in splits for line in (f"  - split: {split}", f"    path: {split}.jsonl")),
        "---",
        "",
        f"# {title}",
        "",
        "Spans of casualty figures, locations and actors in news reports about the war in "
        "Syria, marked by volunteer annotators and adjudicated by project leads.",
        "",
        "- Offsets (`spans`) are Unicode code points of `text`; `text[start:end]` is the span.",
        "- `tokens` and `ner_tags` (IOB2) come from the tool's one tokenizer; a span that "
        "overlaps another is only in `spans`.",
        f"- Annotation guidelines: version {guidelines_version}.",
        "- Licence: the reports belong to their publishers; check their terms before "
        "redistributing the text.",
        "",
        "## Agreement",
        "",
    ]
    if agreement:
        lines += [f"- {name}: {value}" for name, value in agreement.items()]
    else:
        lines.append("No agreement figures were computed for this project.")
    return "\n".join(lines) + "\n"
