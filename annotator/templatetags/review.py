"""Draw a document for review: the gold as it stands, and the conflicts still to decide."""

from collections.abc import Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..domain.spans import SpanValue, segments

register = template.Library()

_CONFLICT = "\x00conflict"  # no label key can look like this


@register.simple_tag
def review_text(text: str, gold: Sequence, groups: Sequence[dict], labels: Sequence) -> SafeString:
    """Gold spans as marks (coloured by label) and each conflict's region as an outlined span
    that names its group, so the keyboard can bring a conflict into view. CR is written as
    &#13; as in `annotated_text`, so offsets read from the page are the stored ones."""
    colour = {label.pk: label.colour for label in labels}
    keys = {label.pk: label.key for label in labels}
    values = [
        SpanValue(span.start, span.end, keys[span.label_id], index)
        for index, span in enumerate(gold)
    ]
    values += [
        SpanValue(item["group"].start, item["group"].end, _CONFLICT, item["index"])
        for item in groups
    ]
    html = []
    for segment in segments(len(text), values):
        piece = escape(text[segment.start : segment.end]).replace("\r", "&#13;")
        for span in reversed(segment.spans):
            if span.label == _CONFLICT:
                resolved = "resolved" if groups[span.id]["resolved"] else "open"
                piece = f'<span class="conflict {resolved}" data-group="{span.id}">{piece}</span>'
            else:
                span_object = gold[span.id]
                piece = (
                    f'<mark class="gold {escape(span_object.decision)}" '
                    f'data-label="{escape(span.label)}" '
                    f'title="{escape(span.label)} ({escape(span_object.decision)})" '
                    f'data-label-colour="{escape(colour[span_object.label_id])}">{piece}</mark>'
                )
        html.append(piece)
    return mark_safe("".join(html))
