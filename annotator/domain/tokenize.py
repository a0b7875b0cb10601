"""The one tokenizer: token-level agreement and the CoNLL export both cut text with it.

Tokens are [start, end) in code points of the text as stored (Python string indices), so
`text[token.start:token.end]` is the token. The rules:

- A word is a run of letters and combining marks: Latin, accents written as combining marks,
  Arabic with its harakat and tatweel. The underscore is punctuation, not a letter.
- A number is a run of digits (any script's) that keeps its separators: "2,200", "1.5",
  "1,234.56" and Arabic "٢٬٢٠٠", "١٫٥" are one token each, because a "." or "," (or an Arabic
  separator) followed by a digit belongs to the number. Elsewhere "." and "," are punctuation, so
  "2,200," ends with a comma token.
- Letters and digits are never one token: "و١٦" (Arabic "and 16") is "و", "١٦", and "16th" is
  "16", "th", so a casualty figure is a token of its own even with a clitic attached to it.
- Hyphens, dashes and apostrophes are punctuation like any other: "pro-Assad" is "pro", "-",
  "Assad", and "Assad's" is "Assad", "'", "s". A token-level metric only sees span boundaries
  that fall between tokens, and an annotator may well mark "Assad" in "pro-Assad" or "Syrian" in
  "Syrian-Turkish", so compounds are split where a span could end.
- Every other visible character (punctuation, symbols, emoji) is a token of its own, together
  with what modifies it: combining marks, the emoji variation selector, skin-tone modifiers,
  ZWJ sequences ("👩‍👧" is one token) and flag tags; a pair of regional indicators is one flag.
  So "..." is three tokens.
- White space is never a token or part of one, and neither are control and format characters
  (bidi marks such as U+200F, the zero-width space, a byte-order mark): they separate tokens.
  Only the joiners (ZWNJ, ZWJ, word joiner, soft hyphen) between two letters keep a word whole,
  as in Persian "می‌خواهم".
"""

import re
import sys
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from functools import cache, partial
from typing import Any, NamedTuple


class Token(NamedTuple):
    """[start, end) of one token. A named tuple, not a frozen dataclass: a project refresh makes
    millions of these, and a frozen dataclass takes a Python call to build each one."""

    start: int
    end: int


_SEPARATORS = ".,\u066b\u066c"  # decimal and thousands separators, Latin and Arabic
_JOINERS = "\u00ad\u200c\u200d\u2060"  # soft hyphen, ZWNJ, ZWJ, word joiner
_SKIN_TONES = "\U0001f3fb-\U0001f3ff"
_TAGS = "\U000e0020-\U000e007f"  # emoji flag tags, e.g. the flag of Scotland
_REGIONAL_PAIR = "[\U0001f1e6-\U0001f1ff]{2}"
_ASTRAL = "(?=[\U00010000-\U0010ffff])"
# Marks and format characters live in planes 0, 1 and 14: scanning those alone keeps the one-off
# table build to a few hundredths of a second.
_SCANNED = (range(0x20000), range(0xE0000, min(0xE1000, sys.maxunicode + 1)))


@cache
def _pattern() -> re.Pattern[str]:
    # Built on first use, not at import: most requests that import this module never tokenize.
    letters, marks, astral_marks, formats = [], [], [], []
    for block in _SCANNED:
        for point in block:
            category = unicodedata.category(chr(point))
            if category[0] == "M":
                (marks if point < 0x10000 else astral_marks).append(point)
            elif category == "Cf":
                formats.append(point)
            if point < 0x10000 and (category[0] in "LM" or category in ("Nl", "No")):
                letters.append(point)
    # A class of BMP characters only is compiled to a bitmap; astral ranges would make the regex
    # engine walk a list of ranges for every character, three times slower on plain text.
    # Astral letters and marks are rare, so they are tried only once a character is astral.
    mark = _ranges(marks)
    letter = rf"(?:[{_ranges(letters)}]+|{_ASTRAL}(?:[^\W\d_]|[{_ranges(astral_marks)}]))"
    word = rf"{letter}+(?:[{_JOINERS}]+{letter}+)*"
    number = rf"\d(?:[\d{mark}]|[{_SEPARATORS}](?=\d))*"
    modifier = rf"(?:[{mark}{_SKIN_TONES}{_TAGS}]|{_ASTRAL}[{_ranges(astral_marks)}])"
    visible = rf"[^\s\x00-\x1f\x7f-\x9f{_ranges(formats)}]"
    symbol = rf"{visible}{modifier}*(?:\u200d(?!\w){visible}{modifier}*)*"
    return re.compile(rf"{number}|{word}|{_REGIONAL_PAIR}{modifier}*|{symbol}")


def _ranges(code_points: list[int]) -> str:
    """A regex character-class body for the code points, as escaped ranges."""
    parts = []
    first = previous = code_points[0]
    for point in [*code_points[1:], -1]:
        if point != previous + 1:
            last = "-" + re.escape(chr(previous)) if previous > first else ""
            parts.append(re.escape(chr(first)) + last)
            first = point
        previous = point
    return "".join(parts)


def tokenize(text: str) -> list[Token]:
    return list(map(_token_from_span, map(re.Match.span, _pattern().finditer(text))))


# tuple.__new__ straight from C: Token(*span) or Token._make(span) cost a Python call per token.
_token_from_span = partial(tuple.__new__, Token)


def token_labels(tokens: list[Token], spans: Iterable[Any]) -> list[str | None]:
    """The label each token carries, or None: one label per token, for token-level kappa/alpha.

    `spans` are (start, end, label) tuples or objects with start, end and label (SpanValue);
    `tokens` are `tokenize`'s, in order. A token takes a span's label when the span covers more
    than half of the token's code points: a token lying inside a span is covered, a span that
    clips a letter off "civilians" still labels the word, and one that strays a letter into the
    next word does not label it. Where several spans qualify, the longest wins (the outer of two
    nested spans, as `segments` draws it), then the one starting first, then the label first in
    alphabetical order, so the result never depends on the order of `spans`.

    None means "outside every span". Cohen's kappa takes None as a category; Krippendorff's
    alpha takes it as a missing value, so replace it ("O") before computing alpha.
    """
    labels: list[str | None] = [None] * len(tokens)
    # Weakest span first: each span overwrites what it qualifies for, so the strongest has the
    # last word, and the tokens wholly inside a span take its label in one slice assignment.
    ranked = sorted((start - end, start, label) for start, end, label in map(_span_tuple, spans))
    for negative_length, start, label in reversed(ranked):
        end = start - negative_length
        # Tokens are sorted and do not overlap. Those in [inside, after) start within the span,
        # and all but the last of them also end within it; the token before `inside` and that
        # last one may stick out of the span, and take the label only if it covers most of them.
        inside, after = bisect_left(tokens, (start,)), bisect_left(tokens, (end,))
        if after - 1 > inside:
            labels[inside : after - 1] = [label] * (after - 1 - inside)
        for index in {inside - 1, after - 1}:
            if index >= 0:
                token_start, token_end = tokens[index]
                covered = min(end, token_end) - max(start, token_start)
                if 2 * covered > token_end - token_start:
                    labels[index] = label
    return labels


def _span_tuple(span: Any) -> tuple[int, int, str]:
    if hasattr(span, "start"):  # SpanValue, or a named tuple such as agreement's CodedSpan
        return span.start, span.end, span.label
    start, end, label = span
    return start, end, label
