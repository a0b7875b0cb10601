"""Ignored regions: the parts of a document that are not the report.

Scraped articles carry the outlet's furniture: links to other stories ("See Syria Daily, July
23: 59 Killed in Pro-Assad Bombing of Idlib Province": a figure from another day), bylines and
agency credits, share buttons, image credits, and the comments form with whatever follows it. A
lead marks such stretches ignored; suggestions skip them, agreement leaves them out (spans there
are not compared, and their text does not count as agreed "nothing here"), and exports carry
them as a mask so that a model is neither trained nor scored on them.

`find_boilerplate` only proposes regions; the lead decides. It proposes none in a photo caption
(the seeds' first lines): captions name places and actors that annotators mark.

Regions are (start, end, reason) in code points; spans are (start, end, …) tuples or values
with `start` and `end` (SpanValue, CodedSpan), and are returned as they came.
"""

import re
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from .passages import paragraphs

REASONS = ("link", "byline", "credit", "share", "image_credit", "comments")

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_LINK = re.compile(
    r"(?:see|read|related|more on this|also read|watch)(?:\s+(?:also|more))?\b.*"
    r"|(?:https?://|www\.)\S+",
    re.IGNORECASE,
)
# The second line of a list of links: "Syria Daily, Dec 28: UN — 235,000+ Flee …"
_DATED_HEADLINE = re.compile(rf"[A-Z][^.:]{{0,60}}, {_MONTH} \d{{1,2}}(?:, \d{{4}})?: \S.*")
_BYLINE = re.compile(r"by\s+\S+(?:\s+\S+){0,4}", re.IGNORECASE)
# A closing credit line ("Zaman Al Wasl"): a few capitalised words, no figure, no full stop.
_CREDIT_LINE = re.compile(r"[A-Z][\w’'-]*(?:[ \t]+(?:[A-Z][\w’'-]*|al|of|the|and)){0,3}")
_SIGN_OFF = re.compile(
    r"(?<=[.!?”\"])[ \t]+(?P<credit>(?:[A-Z][\w’'-]*[ \t]+){0,3}[A-Z][\w’'-]*"
    r"(?:,[ \t]*(?:Agencies|AFP|Reuters|AP|dpa))+)$"
)
_SHARE = re.compile(
    r"(?:share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page))?(?:\s+(?:on|via)\s+\w+)?"
    r"|follow us(?:\s+on\s+\w+)?|tweet|e-?mail|print|facebook|twitter|whatsapp|telegram)"
    r"(?:\s*[|·,/]\s*(?:facebook|twitter|x|whatsapp|telegram|e-?mail|print|linkedin|copy link))*"
    r"\s*:?",
    re.IGNORECASE,
)
_IMAGE_CREDIT_LINE = re.compile(
    r"(?:(?:photos?|images?|pictures?|photograph|video)(?:\s+credits?)?\s*(?::|by\b|©)"
    r"|credits?\s*:|©).{0,120}",
    re.IGNORECASE,
)
_IMAGE_CREDIT_INLINE = re.compile(
    r"\((?:photo|image|picture|video)(?:\s+credit)?\s*(?::|by\b|©)[^()\n]{1,80}\)", re.IGNORECASE
)
_COMMENTS = re.compile(
    r"(?:comments?(?:\s+about\s+this\s+(?:article|story))?|\d+\s+comments?|show\s+comments"
    r"|leave\s+a\s+(?:comment|reply)|(?:add|post)\s+(?:a|your)\s+comment"
    r"|join\s+the\s+(?:discussion|conversation))\s*:?",
    re.IGNORECASE,
)


class Region(NamedTuple):
    start: int
    end: int
    reason: str


def find_boilerplate(text: str) -> list[Region]:
    """Regions a lead may mark ignored, in text order, none overlapping another."""
    lines = paragraphs(text)
    body_end = len(lines)
    found: list[Region] = []
    for number, line in enumerate(lines):
        if _COMMENTS.fullmatch(line.text):
            # Everything after the comments heading is the form and readers' comments.
            found.append(Region(line.start, lines[-1].end, "comments"))
            body_end = number
            break
    previous_was_link = False
    for number, line in enumerate(lines[:body_end]):
        reason = _line_reason(line.text, previous_was_link, last=number == body_end - 1)
        previous_was_link = reason == "link"
        if reason:
            found.append(Region(line.start, line.end, reason))
            continue
        if sign_off := _SIGN_OFF.search(line.text):
            start, end = line.start + sign_off.start("credit"), line.start + sign_off.end("credit")
            found.append(Region(start, end, "credit"))
        for credit in _IMAGE_CREDIT_INLINE.finditer(line.text):
            found.append(
                Region(line.start + credit.start(), line.start + credit.end(), "image_credit")
            )
    return sorted(found)


def _line_reason(line: str, previous_was_link: bool, *, last: bool) -> str | None:
    headline = not line.endswith((".", "!", "?", '"', "”"))
    if headline and len(line.split()) <= 30 and _LINK.fullmatch(line):
        return "link"
    if previous_was_link and _DATED_HEADLINE.fullmatch(line):
        return "link"
    if headline and _BYLINE.fullmatch(line):
        return "byline"
    if last and _CREDIT_LINE.fullmatch(line):
        return "byline"
    if _SHARE.fullmatch(line):
        return "share"
    if _IMAGE_CREDIT_LINE.fullmatch(line):
        return "image_credit"
    return None


def mask(text_length: int, regions: Iterable[Sequence[Any]]) -> list[tuple[int, int]]:
    """The ignored [start, end) ranges of a text, sorted, with overlapping and touching
    regions merged: what an export carries."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((region[0], region[1]) for region in regions):
        if not 0 <= start < end <= text_length:
            raise ValueError(
                f"region ({start}, {end}) is not a stretch of a text of {text_length} characters"
            )
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def outside_ignored[Span](spans: Iterable[Span], regions: Iterable[Sequence[Any]]) -> list[Span]:
    """The spans that touch no ignored region. A span reaching into one is dropped too: half
    in boilerplate, it is a slip of the mouse, not a figure to suggest or compare."""
    ranges = mask(_END, regions)
    starts = [start for start, _ in ranges]
    kept = []
    for span in spans:
        start, end = _bounds(span)
        # The last region starting before the span's end is the only one it can touch.
        before = bisect_right(starts, end - 1) - 1
        if before < 0 or ranges[before][1] <= start:
            kept.append(span)
    return kept


def codings_outside_ignored[Span](
    codings: Mapping[Hashable, Iterable[Span]], regions: Sequence[Sequence[Any]]
) -> dict[Hashable, list[Span]]:
    """Each annotator's spans without those in ignored regions, for agreement to compare."""
    return {annotator: outside_ignored(spans, regions) for annotator, spans in codings.items()}


def blank_ignored(text: str, regions: Iterable[Sequence[Any]]) -> str:
    """The text with ignored regions turned to spaces (line breaks kept), the same length so
    every offset still holds: token-level agreement then finds no tokens there to count as
    agreed."""
    pieces = []
    done = 0
    for start, end in mask(len(text), regions):
        pieces.append(text[done:start])
        pieces.append(re.sub(r"[^\r\n]", " ", text[start:end]))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


# Spans are checked against regions without the text at hand: any end is in range.
_END = 1 << 62


def _bounds(span: Any) -> tuple[int, int]:
    if hasattr(span, "start"):
        return span.start, span.end
    return span[0], span[1]
