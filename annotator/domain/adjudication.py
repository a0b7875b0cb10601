"""Merging k annotators' spans into what a lead adjudicates: the agreed spans, and the conflicts.

`merge` takes each annotator's finished spans and returns:

- `agreed`: spans every annotator marked exactly (same start, end and label). They are gold
  unless the lead says otherwise; where the annotators gave them different attribute values,
  the span carries the conflict and the majority value.
- `groups`: every other span, gathered into regions where spans overlap (any label): boundary
  variants, label variants, and spans only some annotators marked. Each group lists its distinct
  spans (variants) with who proposed each, who marked nothing there, and the majority choice
  where there is one: a variant more than half the annotators marked exactly, or "no span" when
  more than half marked nothing in the region.

Annotators are any hashable ids; the result never depends on the order of spans or annotators.
"""

import json
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NO_SPAN = "no span"


@dataclass(frozen=True)
class Variant:
    """One distinct span (start, end, label) and the annotators who marked exactly it."""

    start: int
    end: int
    label: str
    annotators: tuple[Hashable, ...]
    # attribute → {value as JSON text: annotators}, only where the annotators disagree
    conflicts: dict[str, dict[str, tuple[Hashable, ...]]] = field(default_factory=dict, hash=False)
    # the majority value of each attribute, ties going to the value first in sorted order
    attributes: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def key(self) -> tuple[int, int, str]:
        return self.start, self.end, self.label


@dataclass(frozen=True)
class Group:
    start: int
    end: int
    variants: tuple[Variant, ...]  # most proposers first, then in text order
    silent: tuple[Hashable, ...]  # annotators who marked nothing in [start, end)
    choice: Variant | str | None  # the majority variant, NO_SPAN, or None: no majority

    @property
    def kind(self) -> str:
        """What the conflict is about, to say so in the queue and on the page."""
        ranges = {(v.start, v.end) for v in self.variants}
        labels = {v.label for v in self.variants}
        if self.silent:
            return "missing"
        if len(ranges) == 1:
            return "label"
        return "boundary" if len(labels) == 1 else "both"


@dataclass(frozen=True)
class Merge:
    annotators: tuple[Hashable, ...]
    agreed: tuple[Variant, ...]
    groups: tuple[Group, ...]

    @property
    def unanimous(self) -> bool:
        """Every annotator marked the same spans with the same attributes: nothing to review."""
        return not self.groups and not any(variant.conflicts for variant in self.agreed)


def merge(codings: Mapping[Hashable, Iterable[Any]]) -> Merge:
    """Merge {annotator: spans}; spans have start, end, label and (optionally) attributes."""
    annotators = tuple(sorted(codings, key=str))
    proposals: dict[tuple[int, int, str], dict[Hashable, dict]] = {}
    for annotator in annotators:
        for span in codings[annotator]:
            key = (span.start, span.end, span.label)
            # One annotator's duplicate of a span counts once: it is one proposal.
            proposals.setdefault(key, {}).setdefault(
                annotator, dict(getattr(span, "attributes", {}) or {})
            )
    variants = [_variant(key, by_annotator) for key, by_annotator in proposals.items()]
    everyone = len(annotators)
    agreed = sorted((v for v in variants if len(v.annotators) == everyone and everyone), key=_order)
    rest = sorted((v for v in variants if len(v.annotators) < everyone or not everyone), key=_order)
    groups = [_group(cluster, annotators) for cluster in _clusters(rest)]
    return Merge(annotators=annotators, agreed=tuple(agreed), groups=tuple(groups))


def _order(variant: Variant) -> tuple:
    return variant.start, variant.end, variant.label


def _variant(key: tuple[int, int, str], by_annotator: dict[Hashable, dict]) -> Variant:
    start, end, label = key
    names = sorted({name for attributes in by_annotator.values() for name in attributes})
    conflicts, chosen = {}, {}
    for name in names:
        values: dict[str, list] = {}
        originals: dict[str, Any] = {}
        for annotator in sorted(by_annotator, key=str):
            value = by_annotator[annotator].get(name)
            text = _as_text(value)
            values.setdefault(text, []).append(annotator)
            originals[text] = value
        if len(values) > 1:
            conflicts[name] = {text: tuple(who) for text, who in sorted(values.items())}
        most = max(sorted(values), key=lambda text: len(values[text]))
        if originals[most] is not None:
            chosen[name] = originals[most]
    return Variant(
        start=start,
        end=end,
        label=label,
        annotators=tuple(sorted(by_annotator, key=str)),
        conflicts=conflicts,
        attributes=chosen,
    )


def _as_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _clusters(variants: list[Variant]) -> list[list[Variant]]:
    """Runs of variants, in start order, that overlap one another (transitively)."""
    clusters: list[list[Variant]] = []
    reach = -1
    for variant in variants:
        if clusters and variant.start < reach:
            clusters[-1].append(variant)
            reach = max(reach, variant.end)
        else:
            clusters.append([variant])
            reach = variant.end
    return clusters


def _group(cluster: list[Variant], annotators: tuple[Hashable, ...]) -> Group:
    start, end = min(v.start for v in cluster), max(v.end for v in cluster)
    marked = {annotator for v in cluster for annotator in v.annotators}
    silent = tuple(a for a in annotators if a not in marked)
    variants = tuple(sorted(cluster, key=lambda v: (-len(v.annotators), *_order(v))))
    half = len(annotators) / 2
    choice: Variant | str | None = None
    if len(silent) > half:
        choice = NO_SPAN
    elif len(variants[0].annotators) > half:
        choice = variants[0]
    return Group(start=start, end=end, variants=variants, silent=silent, choice=choice)
