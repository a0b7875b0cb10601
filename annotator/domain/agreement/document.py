"""One document's agreement tallies, computed once its annotations are in, then stored.

`document_tallies` compares every pair of the document's finished annotations and returns
`DocumentTallies`: counts and running sums only, never ratios, so that `project.AgreementTally`
can add documents up into the project's figures without going back to the spans.

What is counted:
- span F1, exact and overlap, per pair of annotators and label: [matched, only the first's,
  only the second's];
- the disagreements of each pair by kind (`disagreements.KINDS`);
- αU's tally (`unitizing.UnitizingTally`) on code points;
- on tokens (`tokenize`): each token is a unit, its label or "O" its value; Krippendorff's
  nominal alpha, Fleiss' kappa and, per pair, Cohen's kappa;
- attributes of matched spans (same label, overlapping: the "agreed" and "boundary" pairs):
  each pair is a unit of two values; nominal alpha for categories and yes/no, interval alpha
  for numbers. Free text is not compared: two wordings of one fact are not a disagreement.
"""

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, NamedTuple

from ..labels import AttributeSpec
from ..numbers import parse_number
from ..tokenize import Token, token_labels, tokenize
from .disagreements import compare_spans
from .f1 import span_f1
from .tallies import CohenKappaTally, FleissKappaTally, IntervalAlphaTally, NominalAlphaTally
from .unitizing import UnitizingTally

# Stored tallies carry this; a refresh recomputes those of another version from the spans.
VERSION = 1
OUTSIDE = "O"  # the value of a token outside every span


class CodedSpan(NamedTuple):
    start: int
    end: int
    label: str
    attributes: Mapping[str, Any] = {}


def attribute_level(spec: AttributeSpec) -> str | None:
    """How an attribute's values are compared: "nominal", "interval", or None (not compared).

    Derived attributes are not compared: they follow from the ones an annotator typed, so they
    would count one disagreement twice."""
    if spec.derived:
        return None
    if spec.kind in ("enum", "bool"):
        return "nominal"
    if spec.kind == "int":
        return "interval"
    return None


@dataclass
class PairTallies:
    first: Hashable
    second: Hashable
    exact: dict[str, list[int]] = field(default_factory=dict)  # label → [matched, first, second]
    overlap: dict[str, list[int]] = field(default_factory=dict)
    kinds: Counter = field(default_factory=Counter)
    tokens: CohenKappaTally = field(default_factory=CohenKappaTally)

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "exact": self.exact,
            "overlap": self.overlap,
            "kinds": dict(self.kinds),
            "tokens": self.tokens.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PairTallies":
        return cls(
            data["first"],
            data["second"],
            data["exact"],
            data["overlap"],
            Counter(data["kinds"]),
            CohenKappaTally.from_json(data["tokens"]),
        )


@dataclass
class DocumentTallies:
    annotators: list[Hashable]
    tokens: int
    pairs: list[PairTallies]
    unitizing: UnitizingTally
    token_alpha: NominalAlphaTally
    fleiss: FleissKappaTally
    # (label, attribute) → tally; the level is in the tally's type
    attributes: dict[tuple[str, str], NominalAlphaTally | IntervalAlphaTally]
    version: int = VERSION

    def totals(self, match: str) -> tuple[int, int]:
        """(matched, unmatched) spans over all pairs: F1 = 2 matched / (2 matched + unmatched)."""
        matched = unmatched = 0
        for pair in self.pairs:
            for tp, only_first, only_second in getattr(pair, match).values():
                matched += tp
                unmatched += only_first + only_second
        return matched, unmatched

    def score(self) -> float:
        """Exact span F1 pooled over the pairs: how much of this document the annotators agree
        on. 1.0 when nobody marked anything."""
        matched, unmatched = self.totals("exact")
        return 2 * matched / (2 * matched + unmatched) if matched or unmatched else 1.0

    def disagreements(self) -> Counter:
        total: Counter = Counter()
        for pair in self.pairs:
            total.update(pair.kinds)
        return total

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "annotators": self.annotators,
            "tokens": self.tokens,
            "pairs": [pair.to_json() for pair in self.pairs],
            "unitizing": self.unitizing.to_json(),
            "token_alpha": self.token_alpha.to_json(),
            "fleiss": self.fleiss.to_json(),
            "attributes": [
                [label, name, _level_of(tally), tally.to_json()]
                for (label, name), tally in sorted(self.attributes.items())
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "DocumentTallies":
        return cls(
            annotators=data["annotators"],
            tokens=data["tokens"],
            pairs=[PairTallies.from_json(pair) for pair in data["pairs"]],
            unitizing=UnitizingTally.from_json(data["unitizing"]),
            token_alpha=NominalAlphaTally.from_json(data["token_alpha"]),
            fleiss=FleissKappaTally.from_json(data["fleiss"]),
            attributes={
                (label, name): _TALLIES[level].from_json(tally)
                for label, name, level, tally in data["attributes"]
            },
            version=data["version"],
        )


_TALLIES = {"nominal": NominalAlphaTally, "interval": IntervalAlphaTally}


def _level_of(tally: NominalAlphaTally | IntervalAlphaTally) -> str:
    return "nominal" if isinstance(tally, NominalAlphaTally) else "interval"


def document_tallies(
    text: str,
    codings: Mapping[Hashable, Iterable[CodedSpan]],
    attribute_specs: Mapping[str, Iterable[AttributeSpec]] | None = None,
    *,
    tokens: list[Token] | None = None,
) -> DocumentTallies:
    """The tallies of one document's finished annotations, {annotator: spans}.

    `attribute_specs` gives each label's attributes (by label key); `tokens` may be passed when
    the caller has them already.
    """
    annotators = sorted(codings, key=str)
    spans = {
        annotator: [CodedSpan(*span) for span in codings[annotator]] for annotator in annotators
    }
    tokens = tokenize(text) if tokens is None else tokens
    columns = [
        [OUTSIDE if label is None else label for label in token_labels(tokens, spans[annotator])]
        for annotator in annotators
    ]
    levels = {
        label: [(spec.name, level) for spec in specs if (level := attribute_level(spec))]
        for label, specs in (attribute_specs or {}).items()
    }
    # Each distinct combination of the annotators' labels for a token, with how many tokens
    # have it: a few dozen entries, from which every token coefficient follows.
    combined = Counter(zip(*columns, strict=True))
    attributes: dict[tuple[str, str], Any] = {}
    pairs = []
    for (i, first), (j, second) in combinations(enumerate(annotators), 2):
        pair = _pair_tallies(first, second, spans[first], spans[second], levels, attributes)
        for values, times in combined.items():
            pair.tokens.confusion[values[i], values[j]] += times
        pairs.append(pair)

    unitizing = UnitizingTally()
    if text:
        unitizing.add_document(
            [
                (annotator, s.start, s.end, s.label)
                for annotator in annotators
                for s in spans[annotator]
            ],
            0,
            len(text),
            coders=annotators,
        )
    token_alpha = NominalAlphaTally()
    fleiss = FleissKappaTally(raters=len(annotators))
    for values, times in combined.items():
        token_alpha.add_unit(values, times)
        fleiss.add_item(values, times)
    return DocumentTallies(
        annotators=annotators,
        tokens=len(tokens),
        pairs=pairs,
        unitizing=unitizing,
        token_alpha=token_alpha,
        fleiss=fleiss,
        attributes=attributes,
    )


def _pair_tallies(first, second, first_spans, second_spans, levels, attributes) -> PairTallies:
    pair = PairTallies(first, second)
    for match in ("exact", "overlap"):
        result = span_f1(first_spans, second_spans, match)
        # span_f1 scores the second against the first: its false negatives are the first's
        # unmatched spans, its false positives the second's.
        getattr(pair, match).update(
            {
                label: [scores.true_positives, scores.false_negatives, scores.false_positives]
                for label, scores in result.per_label.items()
            }
        )
    for pairing in compare_spans(first_spans, second_spans):
        if pairing.kind != "agreed":
            pair.kinds[pairing.kind] += 1
        if pairing.kind in ("agreed", "boundary"):
            _add_attribute_units(pairing.first, pairing.second, levels, attributes)
    return pair


def _add_attribute_units(first: CodedSpan, second: CodedSpan, levels, attributes) -> None:
    label = first.label
    for name, level in levels.get(label, ()):
        values = [_value(span.attributes.get(name), level) for span in (first, second)]
        present = [value for value in values if value is not None]
        if len(present) < 2:
            continue
        tally = attributes.setdefault((label, name), _TALLIES[level]())
        tally.add_unit(present)


def _value(value: Any, level: str) -> Any:
    """The value as the tally compares it, or None when it is missing or of the wrong kind."""
    if value is None or value == "" or value == []:
        return None
    if level == "interval":
        if isinstance(value, bool):
            return None
        if isinstance(value, str):  # imported as written: "2,200" is the number 2200
            return parse_number(value)
        return value if isinstance(value, int | float) else None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "+".join(sorted(map(str, value)))
    return str(value)
