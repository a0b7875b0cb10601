"""Precision, recall and F1 of one set of spans against another, overall and per label.

Spans are (start, end, label) tuples or objects with start, end and label (SpanValue). `b` is
scored against `a`: a span of `b` that matches one of `a` is a true positive, an unmatched span
of `b` a false positive, an unmatched span of `a` a false negative. Between two annotators the
F1 is symmetric; precision and recall swap when `a` and `b` do.

Matching is one to one: a span counts in at most one pair, so two short spans inside one long
span give one true positive and one false positive, not two true positives.

- "exact": same start, end and label. Duplicate spans pair up one to one like any others.
- "overlap": same label and ranges sharing at least one code point. Among all one-to-one pairings
  the largest is taken, found greedily: the span that ends first (on either side) is paired
  with the other side's unpaired overlapping span that ends first. Exchanging partners shows
  some largest pairing contains that pair, so the greedy count is the maximum, in
  O(n log n) rather than the cubic time of a general assignment.

Empty sets: precision is 0 when `b` has no spans but `a` has (nothing found), recall is 0 when
`a` has none but `b` has (nothing to find), as scikit-learn's default; when both are empty every
score is 1.0, because the two annotations agree completely. F1 = 2TP / (2TP + FP + FN), which is
the harmonic mean of precision and recall whenever that is defined.
"""

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MATCHES = ("exact", "overlap")


@dataclass(frozen=True)
class F1Result:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    per_label: dict[str, "F1Result"] = field(default_factory=dict, hash=False)


def span_f1(a: Iterable[Any], b: Iterable[Any], match: str = "exact") -> F1Result:
    """The scores of `b` against `a`, overall (micro) and per label; see the module doc."""
    if match not in MATCHES:
        raise ValueError(f"match must be 'exact' or 'overlap', not {match!r}")
    reference, candidate = _by_label(a), _by_label(b)
    count_matches = _exact_matches if match == "exact" else _overlap_matches
    per_label = {}
    for label in sorted(reference.keys() | candidate.keys(), key=str):
        expected, found = reference.get(label, []), candidate.get(label, [])
        matched = count_matches(expected, found)
        per_label[label] = f1_from_counts(matched, len(found) - matched, len(expected) - matched)
    return _total(per_label)


def f1_from_counts(
    true_positives: int,
    false_positives: int,
    false_negatives: int,
    per_label: dict[str, F1Result] | None = None,
) -> F1Result:
    """Precision, recall and F1 from the counts, with the empty-set rules of the module doc."""
    found = true_positives + false_positives
    expected = true_positives + false_negatives
    wrong = false_positives + false_negatives
    return F1Result(
        precision=true_positives / found if found else float(expected == 0),
        recall=true_positives / expected if expected else float(found == 0),
        f1=2 * true_positives / (2 * true_positives + wrong) if true_positives or wrong else 1.0,
        true_positives=true_positives,
        false_positives=false_positives,
        false_negatives=false_negatives,
        per_label=per_label or {},
    )


def macro_f1(result: F1Result) -> float:
    """The mean of the per-label F1 scores: every label weighs the same, however rare.

    Only labels that occur in either annotation count. With no labels at all (both empty) it is
    the overall F1, 1.0.
    """
    if not result.per_label:
        return result.f1
    return sum(label.f1 for label in result.per_label.values()) / len(result.per_label)


def pooled_f1(results: Iterable[F1Result]) -> F1Result:
    """Micro-averaged F1 over many documents: the counts added up, overall and per label."""
    counts: dict[str, Counter[str]] = {}
    for result in results:
        for label, scores in result.per_label.items():
            counts.setdefault(label, Counter()).update(
                tp=scores.true_positives, fp=scores.false_positives, fn=scores.false_negatives
            )
    per_label = {
        label: f1_from_counts(total["tp"], total["fp"], total["fn"])
        for label, total in sorted(counts.items(), key=lambda item: str(item[0]))
    }
    return _total(per_label)


def _total(per_label: dict[str, F1Result]) -> F1Result:
    return f1_from_counts(
        sum(scores.true_positives for scores in per_label.values()),
        sum(scores.false_positives for scores in per_label.values()),
        sum(scores.false_negatives for scores in per_label.values()),
        per_label,
    )


def _by_label(spans: Iterable[Any]) -> dict[str, list[tuple[int, int]]]:
    grouped: dict[str, list[tuple[int, int]]] = {}
    for span in spans:
        if hasattr(span, "start"):  # SpanValue, or a named tuple such as CodedSpan
            start, end, label = span.start, span.end, span.label
        else:
            start, end, label = span
        if end <= start:
            raise ValueError(f"span ({start}, {end}, {label!r}) is empty")
        grouped.setdefault(label, []).append((start, end))
    return grouped


def _exact_matches(expected: list[tuple[int, int]], found: list[tuple[int, int]]) -> int:
    distinct_expected, distinct_found = set(expected), set(found)
    if len(distinct_expected) < len(expected) and len(distinct_found) < len(found):
        # Duplicates on both sides: the size of the multiset intersection. With duplicates on
        # one side at most, it is the number of distinct spans the two sides share.
        return sum((Counter(expected) & Counter(found)).values())
    return len(distinct_expected & distinct_found)


def _overlap_matches(expected: list[tuple[int, int]], found: list[tuple[int, int]]) -> int:
    """The size of the largest one-to-one pairing of overlapping ranges (see the module doc)."""
    if not expected or not found:
        return 0
    # (end, start, side), in the order of their ends: the order the greedy pairing takes them in.
    spans = sorted(
        [(end, start, 0) for start, end in expected] + [(end, start, 1) for start, end in found]
    )
    starts = [start for _, start, _ in spans]
    by_start = sorted(range(len(spans)), key=starts.__getitem__)
    waiting: tuple[list[int], list[int]] = ([], [])  # per side, a heap of the spans begun so far
    done = [False] * len(spans)
    started = matched = 0
    for index, (end, _, side) in enumerate(spans):
        if done[index]:
            continue
        done[index] = True
        # Every span that starts before this one ends; the unpaired ones of the other side that
        # are still waiting all end no earlier than this one, so each of them overlaps it.
        while started < len(spans) and starts[by_start[started]] < end:
            other = by_start[started]
            heapq.heappush(waiting[spans[other][2]], other)  # an index in end order: a heap by end
            started += 1
        partners = waiting[1 - side]
        while partners and done[partners[0]]:
            heapq.heappop(partners)
        if partners:
            done[heapq.heappop(partners)] = True
            matched += 1
    return matched
