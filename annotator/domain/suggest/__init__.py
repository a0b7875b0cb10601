"""Suggestions (pre-annotation): spans an annotator accepts with one key or ignores.

Casualty figures come from rules (`figures`), locations and actors from the project's
gazetteer (`gazetteer`; `STARTER_GAZETTEER` to begin with). A suggestion is never an
annotation: the services keep it out of spans and agreement until it is accepted.
`suggestion_quality` tells a lead how far to trust them, against gold.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from .figures import suggest_figures
from .gazetteer import GazetteerEntry, gazetteer_entry, suggest_from_gazetteer
from .starter_gazetteer import STARTER_GAZETTEER
from .suggestion import Suggestion, SuggestionQuality, pooled_quality, suggestion_quality

__all__ = [
    "STARTER_GAZETTEER",
    "GazetteerEntry",
    "Suggestion",
    "SuggestionQuality",
    "gazetteer_entry",
    "pooled_quality",
    "suggest",
    "suggest_figures",
    "suggest_from_gazetteer",
    "suggestion_quality",
]


def suggest(
    text: str,
    *,
    gazetteer: Iterable[GazetteerEntry | Sequence[Any]],
    ignored: Iterable[tuple[int, int]] = (),
) -> list[Suggestion]:
    """Figures and gazetteer names of `text` in order, none overlapping another or touching
    an ignored region ([start, end) pairs: boilerplate, or spans the annotator has already).
    A figure wins over a name inside it: "1500 Syrian troops" is one span."""
    taken = list(ignored)
    chosen = []
    for suggestion in [*suggest_figures(text), *suggest_from_gazetteer(text, gazetteer)]:
        if any(suggestion.start < end and start < suggestion.end for start, end in taken):
            continue
        taken.append((suggestion.start, suggestion.end))
        chosen.append(suggestion)
    return sorted(chosen, key=lambda suggestion: suggestion.start)
