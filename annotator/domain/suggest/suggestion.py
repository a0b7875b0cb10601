"""A suggested span and how well a set of suggestions matches a gold annotation."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..agreement import F1Result, pooled_f1, span_f1


@dataclass(frozen=True)
class Suggestion:
    """A span the annotator may accept: [start, end) in code points, a label, the attributes
    it pre-fills and why it was suggested, in a few words a volunteer can read."""

    start: int
    end: int
    label: str
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)
    reason: str = ""


@dataclass(frozen=True)
class SuggestionQuality:
    """Suggestions scored against gold: precision is the share of suggestions that are gold
    spans, recall the share of gold spans suggested; per label in `per_label` of each."""

    exact: F1Result  # same start, end and label
    overlap: F1Result  # same label, ranges sharing a code point, paired one to one


def suggestion_quality(suggestions: Iterable[Any], gold: Iterable[Any]) -> SuggestionQuality:
    """The scores of one document's suggestions against its gold spans, both given as
    Suggestion, SpanValue or (start, end, label) tuples."""
    suggested, expected = list(suggestions), list(gold)
    return SuggestionQuality(
        exact=span_f1(expected, suggested, "exact"),
        overlap=span_f1(expected, suggested, "overlap"),
    )


def pooled_quality(qualities: Iterable[SuggestionQuality]) -> SuggestionQuality:
    """Many documents' scores as one: the counts added up, overall and per label."""
    collected = list(qualities)
    return SuggestionQuality(
        exact=pooled_f1(quality.exact for quality in collected),
        overlap=pooled_f1(quality.overlap for quality in collected),
    )
