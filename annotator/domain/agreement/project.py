"""A project's agreement figures: its documents' stored tallies added up.

`AgreementTally.add` takes one document's `DocumentTallies`; `figures()` returns plain,
JSON-ready figures, the same whatever order the documents came in (the bootstrap draws from a
fixed seed over the documents' totals in sorted order, so not even it depends on that order).

Span F1 is pooled over labels (micro) and averaged over them (macro); between two annotators it
is symmetric, so per label and per pair only F1 and the counts are given. Per annotator, the
annotator's spans are scored against each other annotator's on the same documents: precision is
how many of theirs the others also marked, recall how many of the others' they also marked.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .disagreements import KINDS
from .document import DocumentTallies
from .f1 import f1_from_counts
from .tallies import CohenKappaTally, FleissKappaTally, IntervalAlphaTally, NominalAlphaTally
from .unitizing import UnitizingTally

MATCHES = ("exact", "overlap")
BOOTSTRAP_SAMPLES = 1000
# Krippendorff's thresholds: at least .800 to rely on the data, .667 for tentative conclusions.
RELIABLE, TENTATIVE = 0.800, 0.667


@dataclass
class _Counts:
    matched: int = 0
    first: int = 0  # unmatched spans of the first annotator of the pair
    second: int = 0

    def add(self, tp: int, first: int, second: int) -> None:
        self.matched += tp
        self.first += first
        self.second += second

    def f1(self) -> float:
        return f1_from_counts(self.matched, self.second, self.first).f1


@dataclass
class AgreementTally:
    documents: int = 0
    labels: dict[str, dict[str, _Counts]] = field(
        default_factory=lambda: {match: defaultdict(_Counts) for match in MATCHES}
    )
    pairs: dict[tuple, dict[str, Any]] = field(default_factory=dict)
    annotators: dict[Hashable, dict[str, Any]] = field(default_factory=dict)
    kinds: Counter = field(default_factory=Counter)
    unitizing: UnitizingTally = field(default_factory=UnitizingTally)
    token_alpha: NominalAlphaTally = field(default_factory=NominalAlphaTally)
    fleiss: dict[int, FleissKappaTally] = field(default_factory=dict)
    tokens: int = 0
    attributes: dict[tuple[str, str], NominalAlphaTally | IntervalAlphaTally] = field(
        default_factory=dict
    )
    # Per document, for the bootstrap: (matched, unmatched) exact and overlap.
    totals: list[tuple[int, int, int, int]] = field(default_factory=list)

    def add(self, document: DocumentTallies) -> None:
        self.documents += 1
        self.tokens += document.tokens
        self.totals.append((*document.totals("exact"), *document.totals("overlap")))
        for annotator in document.annotators:
            self._annotator(annotator)["documents"] += 1
        for pair in document.pairs:
            key = (pair.first, pair.second)
            mine = self.pairs.setdefault(
                key,
                {
                    "documents": 0,
                    "exact": _Counts(),
                    "overlap": _Counts(),
                    "tokens": CohenKappaTally(),
                },
            )
            mine["documents"] += 1
            mine["tokens"].add(pair.tokens)
            self.kinds.update(pair.kinds)
            for match in MATCHES:
                for label, (tp, first, second) in getattr(pair, match).items():
                    self.labels[match][label].add(tp, first, second)
                    mine[match].add(tp, first, second)
                    # Kept as (matched, own unmatched, the other's unmatched) per annotator.
                    self._annotator(pair.first)[match].add(tp, first, second)
                    self._annotator(pair.second)[match].add(tp, second, first)
        self.unitizing.add(document.unitizing)
        self.token_alpha.add(document.token_alpha)
        if document.fleiss.raters >= 2:
            self.fleiss.setdefault(
                document.fleiss.raters, FleissKappaTally(document.fleiss.raters)
            ).add(document.fleiss)
        for key, tally in document.attributes.items():
            self.attributes.setdefault(key, type(tally)()).add(tally)

    def _annotator(self, annotator: Hashable) -> dict[str, Any]:
        return self.annotators.setdefault(
            annotator, {"documents": 0, "exact": _Counts(), "overlap": _Counts()}
        )

    def figures(self) -> dict[str, Any]:
        pooled, per_label_alpha = self.unitizing.alpha()
        labels = sorted(self.labels["exact"].keys() | per_label_alpha.keys(), key=str)
        return {
            "documents": self.documents,
            "tokens": self.tokens,
            # Each annotator's span counted once per pair it was compared in.
            "spans": sum(2 * c.matched + c.first + c.second for c in self.labels["exact"].values()),
            "f1": {match: self._f1(match) for match in MATCHES},
            "unitizing": {
                "alpha": _number(pooled),
                "characters": self.unitizing.length,
                "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE},
            },
            "tokens_agreement": self._tokens(),
            "labels": [
                {
                    "label": label,
                    **{
                        f"{match}_f1": _number(self.labels[match][label].f1())
                        if label in self.labels[match]
                        else None
                        for match in MATCHES
                    },
                    "matched": self.labels["exact"][label].matched
                    if label in self.labels["exact"]
                    else 0,
                    "unitizing_alpha": _number(per_label_alpha.get(label, math.nan)),
                }
                for label in labels
            ],
            "disagreements": {kind: self.kinds.get(kind, 0) for kind in KINDS},
            "pairs": [
                {
                    "first": first,
                    "second": second,
                    "documents": pair["documents"],
                    "exact_f1": _number(pair["exact"].f1()),
                    "overlap_f1": _number(pair["overlap"].f1()),
                    "cohen_kappa": _number(pair["tokens"].kappa()),
                }
                for (first, second), pair in sorted(self.pairs.items(), key=str)
            ],
            "annotators": [
                {
                    "annotator": annotator,
                    "documents": tally["documents"],
                    **{
                        f"{match}_{name}": _number(getattr(scores, name))
                        for match in MATCHES
                        for scores in [_scores(tally[match])]
                        for name in ("precision", "recall", "f1")
                    },
                }
                for annotator, tally in sorted(self.annotators.items(), key=str)
            ],
            "confusion": self._confusion(),
            "attributes": [
                {
                    "label": label,
                    "attribute": name,
                    "level": "nominal" if isinstance(tally, NominalAlphaTally) else "interval",
                    "alpha": _number(tally.alpha()),
                    "values": _pairable(tally),
                }
                for (label, name), tally in sorted(self.attributes.items())
            ],
        }

    def _f1(self, match: str) -> dict[str, Any]:
        counts = self.labels[match]
        total = _Counts()
        for label in counts.values():
            total.add(label.matched, label.first, label.second)
        per_label = [label.f1() for label in counts.values()]
        low, high = self._interval(match)
        return {
            # With no span at all, everyone agreed on "nothing here": 1.0, as span_f1 says.
            "micro": _number(total.f1()) if self.documents else None,
            "macro": _number(sum(per_label) / len(per_label) if per_label else total.f1())
            if self.documents
            else None,
            "low": low,
            "high": high,
            "matched": total.matched,
            "unmatched": total.first + total.second,
        }

    def _interval(self, match: str) -> tuple[float | None, float | None]:
        """The 95% percentile bootstrap interval of micro F1, resampling documents."""
        if len(self.totals) < 2:
            return None, None
        offset = 0 if match == "exact" else 2
        # Sorted: the same documents must give the same draws whatever order they were added in.
        totals = np.array(sorted(self.totals), dtype=np.int64)[:, offset : offset + 2]
        draws = np.random.default_rng(0).integers(
            0, len(totals), size=(BOOTSTRAP_SAMPLES, len(totals))
        )
        matched, unmatched = totals[draws, 0].sum(axis=1), totals[draws, 1].sum(axis=1)
        denominator = 2 * matched + unmatched
        scores = np.where(denominator > 0, 2 * matched / np.maximum(denominator, 1), 1.0)
        low, high = np.percentile(scores, [2.5, 97.5])
        return round(float(low), 6), round(float(high), 6)

    def _confusion(self) -> dict[str, Any]:
        values, matrix = self.token_alpha.matrix()
        # Rounded like every other figure: with four annotators or more, the cells are sums of
        # thirds, quarters..., and their last bits would depend on the order of the documents.
        return {"values": values, "matrix": [[round(cell, 6) for cell in row] for row in matrix]}

    def _tokens(self) -> dict[str, Any]:
        people = {annotator for pair in self.pairs for annotator in pair}
        if len(people) == 2:
            name, kappa = "Cohen", next(iter(self.pairs.values()))["tokens"].kappa()
        else:
            # Fleiss' kappa needs every item rated as often: the documents with the usual number
            # of annotators (the most tokens, then the most raters on a tie, so that the order of
            # the documents never decides); the others still count in alpha.
            usual = max(
                self.fleiss.values(), key=lambda tally: (tally.items, tally.raters), default=None
            )
            name, kappa = "Fleiss", usual.kappa() if usual else math.nan
        return {
            "alpha": _number(self.token_alpha.alpha()),
            "kappa_name": name,
            "kappa": _number(kappa),
        }


def _scores(counts: _Counts):
    # The annotator's unmatched spans are false positives, the others' false negatives.
    return f1_from_counts(counts.matched, counts.first, counts.second)


def _pairable(tally: NominalAlphaTally | IntervalAlphaTally) -> int:
    if isinstance(tally, IntervalAlphaTally):
        return tally.count
    return round(sum(tally.coincidences.values()))


def _number(value: float) -> float | None:
    """JSON has no nan: an undefined coefficient is null, shown as "not defined"."""
    return None if value is None or math.isnan(value) else round(value, 6)
