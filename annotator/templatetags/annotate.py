"""Draw a document with its spans as marks, once, on the server.

The browser then only adds or removes marks for the spans that change, so a long document is
never re-rendered. Carriage returns are written as &#13;: the HTML parser turns a literal CR
(and CRLF) into LF, which would shift every offset after it; a character reference survives,
so the DOM text equals the stored text and offsets need no correction.
"""

from collections.abc import Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..domain.spans import SpanValue, segments
from ..models import Label, Span

register = template.Library()


@register.simple_tag
def annotated_text(text: str, spans: Sequence[Span], labels: Sequence[Label]) -> SafeString:
    by_id = {label.id: label for label in labels}
    values = [SpanValue(span.start, span.end, by_id[span.label_id].key, span.id) for span in spans]
    incomplete = {span.id for span in spans if getattr(span, "is_incomplete", False)}
    shortcut = {label.key: label.shortcut for label in labels}
    colour = {label.key: label.colour for label in labels}
    html = []
    for segment in segments(len(text), values):
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
        html.append(piece)
    return mark_safe("".join(html))


@register.filter
def get(mapping, key):
    """`values|get:name` — a dict lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
