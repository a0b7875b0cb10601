"""Links between spans: which place, which actor a casualty figure belongs to, who reports it,
and which figure it breaks down.

A link goes from a CASUALTY_FIGURE (its source) to a span of the label its kind names (its
target). `link_problem` says why a link may not be made; `links_merge` compares k annotators'
links the way `adjudication.merge` compares their spans: two links agree when they have the
same kind between the same merged span groups (so a boundary variant of a figure still carries
its annotator's links), and conflict when one figure has different targets for one kind, or one
pair of spans different kinds.

Span ids are any hashable values (database ids, (start, end, label) keys); annotators too.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

FIGURE, LOCATION, ACTOR = "CASUALTY_FIGURE", "LOCATION", "ACTOR"


@dataclass(frozen=True)
class LinkKind:
    key: str
    title: str  # how a chip reads: "→ located at Idlib"
    source_label: str
    target_label: str


# In the order of the number keys that pick them on the annotate page (1 to 4).
KINDS: dict[str, LinkKind] = {
    kind.key: kind
    for kind in (
        LinkKind("located_at", "located at", FIGURE, LOCATION),
        LinkKind("perpetrator", "perpetrator", FIGURE, ACTOR),
        LinkKind("attributed_to", "attributed to", FIGURE, ACTOR),
        LinkKind("part_of", "part of", FIGURE, FIGURE),
    )
}


@dataclass(frozen=True)
class Link:
    source: Hashable
    target: Hashable
    kind: str


def link_problem(
    link: Link, labels: Mapping[Hashable, str], existing: Iterable[Link]
) -> tuple[str, str] | None:
    """(field, reason) when `link` may not join the `existing` links of one annotator (or of
    the gold); `labels` gives the label key of each span id. None when it may."""
    kind = KINDS.get(link.kind)
    if kind is None:
        return "kind", f"Unknown link kind '{link.kind}': one of {', '.join(KINDS)}."
    if link.source == link.target:
        return "target", "A span cannot be linked to itself."
    if labels.get(link.source) != kind.source_label:
        return "source", f"A {kind.title} link starts at a {kind.source_label} span."
    if labels.get(link.target) != kind.target_label:
        return "target", f"A {kind.title} link ends at a {kind.target_label} span."
    existing = list(existing)
    if link in existing:
        return "target", f"These spans are already linked ({kind.title})."
    if link.kind == "part_of" and _reaches(existing, start=link.target, goal=link.source):
        return "target", "That would make a loop of figures each part of the next."
    return None


def _reaches(links: list[Link], *, start: Hashable, goal: Hashable) -> bool:
    """Whether `goal` is reached from `start` by following part_of links."""
    parent: dict[Hashable, list[Hashable]] = {}
    for link in links:
        if link.kind == "part_of":
            parent.setdefault(link.source, []).append(link.target)
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(parent.get(node, []))
    return False


@dataclass(frozen=True)
class CandidateLink:
    """One distinct link between merged span groups, and the annotators who made it."""

    source: Hashable
    target: Hashable
    kind: str
    annotators: tuple[Hashable, ...]
    agreed: bool  # every annotator made it
    conflicting: bool  # another candidate gives the figure another target for the kind,
    # or the pair another kind

    @property
    def key(self) -> tuple[Hashable, Hashable, str]:
        return self.source, self.target, self.kind


@dataclass(frozen=True)
class LinkMerge:
    annotators: tuple[Hashable, ...]
    candidates: tuple[CandidateLink, ...]  # agreed first, then by how many made them

    @property
    def agreed(self) -> tuple[CandidateLink, ...]:
        return tuple(c for c in self.candidates if c.agreed)

    @property
    def conflicts(self) -> tuple[CandidateLink, ...]:
        return tuple(c for c in self.candidates if c.conflicting)

    @property
    def single(self) -> tuple[CandidateLink, ...]:
        """Links only one annotator made (of two or more)."""
        if len(self.annotators) < 2:
            return ()
        return tuple(c for c in self.candidates if len(c.annotators) == 1)


def links_merge(
    links: Mapping[Hashable, Iterable[Link]], group_of: Mapping[Hashable, Hashable]
) -> LinkMerge:
    """Compare {annotator: links between their span ids}, each span id mapped by `group_of`
    to its merged span group. A link with an end outside the mapping is left out: its span
    was not part of the merge."""
    annotators = tuple(sorted(links, key=str))
    made: dict[tuple, set] = {}
    for annotator in annotators:
        for link in links[annotator]:
            if link.source not in group_of or link.target not in group_of:
                continue
            key = (group_of[link.source], group_of[link.target], link.kind)
            made.setdefault(key, set()).add(annotator)
    per_slot: dict[tuple, int] = {}
    per_pair: dict[tuple, int] = {}
    for source, target, kind in made:
        per_slot[source, kind] = per_slot.get((source, kind), 0) + 1
        per_pair[source, target] = per_pair.get((source, target), 0) + 1
    everyone = len(annotators)
    candidates = [
        CandidateLink(
            source=source,
            target=target,
            kind=kind,
            annotators=tuple(sorted(who, key=str)),
            agreed=len(who) == everyone,
            conflicting=per_slot[source, kind] > 1 or per_pair[source, target] > 1,
        )
        for (source, target, kind), who in made.items()
    ]
    candidates.sort(key=lambda c: (not c.agreed, -len(c.annotators), str(c.key)))
    return LinkMerge(annotators=annotators, candidates=tuple(candidates))


def span_groups(agreed: Iterable, groups: Iterable) -> dict[tuple[int, int, str], tuple]:
    """Map each span key (start, end, label) of an `adjudication.merge` to its merged group:
    an agreed span is its own group; the variants of one conflict group that share a label are
    one group (boundary variants of one figure), named (start, end, label) of the region."""
    mapping: dict[tuple[int, int, str], tuple] = {}
    for variant in agreed:
        mapping[variant.key] = variant.key
    for group in groups:
        for variant in group.variants:
            mapping[variant.key] = (group.start, group.end, variant.label)
    return mapping


def group_gold(group: tuple, gold: Iterable[tuple[Hashable, int, int, str]]) -> Hashable | None:
    """The gold span (id, start, end, label) a merged group became: the one of its label
    inside the group's region (the first one when the lead kept several). None when none."""
    start, end, label = group
    inside = sorted(
        (g_start, g_end, g_id)
        for g_id, g_start, g_end, g_label in gold
        if g_label == label and g_start < end and start < g_end
    )
    return inside[0][2] if inside else None
