"""Draw a document with its spans as marks, once, on the server.

The browser then only adds or removes marks for the spans that change, so a long document is
never re-rendered. Carriage returns are written as &#13;: the HTML parser turns a literal CR
(and CRLF) into LF, which would shift every offset after it; a character reference survives,
so the DOM text equals the stored text and offsets need no correction.
"""

import itertools
import json
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..domain.spans import Segment, SpanValue, segments
from ..models import Label, Span

register = template.Library()


@register.simple_tag
def annotated_text(
    text: str,
    spans: Sequence[Span],
    labels: Sequence[Label],
    ignored: Sequence = (),
    shared: Sequence = (),
) -> SafeString:
    """The text with its spans as marks; ignored regions (`start`, `end`) and shared
    paragraphs (`start`, `end`, `others`) wrap the marks in elements of their own. Those add no
    text, so the browser's offsets, counted over text nodes, stay as they are."""
    by_id = {label.id: label for label in labels}
    values = [SpanValue(span.start, span.end, by_id[span.label_id].key, span.id) for span in spans]
    incomplete = {span.id for span in spans if getattr(span, "is_incomplete", False)}
    shortcut = {label.key: label.shortcut for label in labels}
    colour = {label.key: label.colour for label in labels}
    wrappers = [(r.start, r.end, "ignored", None) for r in ignored]
    wrappers += [(p.start, p.end, "shared-passage", _also_in(p.others)) for p in shared]
    html = []
    for segment, around in _wrapped(segments(len(text), values), wrappers):
        piece = escape(text[segment.start : segment.end]).replace("\r", "&#13;")
        for span in reversed(segment.spans):
            classes = ["span"]
            if segment.end == span.end:
                classes.append("span-last")
            if span.id in incomplete:
                classes.append("incomplete")
            piece = (
                f'<mark class="{" ".join(classes)}" data-span-id="{span.id}" '
                f'data-start="{span.start}" data-end="{span.end}" '
                f'data-label="{escape(span.label)}" '
                f'data-shortcut="{escape(shortcut[span.label])}" '
                f'data-label-colour="{escape(colour[span.label])}">{piece}</mark>'
            )
        html.append((around, segment.start, piece))
    return mark_safe("".join(_grouped(html)))


def _also_in(others: Sequence[int]) -> str:
    return "Also in document " + ", ".join(str(other) for other in others)


def _wrapped(pieces: Sequence[Segment], wrappers: list[tuple]) -> list[tuple[Segment, tuple]]:
    """Each segment cut at the wrappers' edges, with the wrappers covering it."""
    cuts = sorted({edge for start, end, *_ in wrappers for edge in (start, end)})
    found = []
    for segment in pieces:
        inside = cuts[bisect_right(cuts, segment.start) : bisect_left(cuts, segment.end)]
        edges = [segment.start, *inside, segment.end]
        for start, end in itertools.pairwise(edges):
            around = tuple(w for w in wrappers if w[0] <= start and end <= w[1])
            found.append((Segment(start, end, segment.spans), around))
    return found


def _grouped(pieces: list[tuple[tuple, int, str]]) -> list[str]:
    """Runs of pieces under the same wrappers, each run in one element. The note saying where
    a shared paragraph also is goes on the run that starts it (a CSS ::before shows it)."""
    html = []
    for around, run in itertools.groupby(pieces, key=lambda piece: piece[0]):
        run = list(run)
        inner = "".join(piece for _, _, piece in run)
        if not around:
            html.append(inner)
            continue
        classes = " ".join(sorted({wrapper[2] for wrapper in around}))
        notes = [wrapper[3] for wrapper in around if wrapper[3] and wrapper[0] == run[0][1]]
        note = f' data-also-in="{escape(notes[0])}"' if notes else ""
        html.append(f'<span class="{classes}"{note}>{inner}</span>')
    return html


@register.filter
def get(mapping, key):
    """`values|get:name` — a dict lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def as_json(value) -> str:
    """`suggestion.attributes|as_json` — for a data- attribute the page's script reads; the
    template's escaping keeps it inside the attribute."""
    return json.dumps(value)
