"""Train / dev / test splits that keep near-duplicate documents together.

News reports reuse paragraphs word for word or nearly (two of the seed articles share several),
and a paragraph in both train and test lets a model score on what it has memorised. Documents
that share a paragraph, exactly or as a near-duplicate (`passages.passage_clusters`), form one
group, transitively, and a group goes to one split whole.
"""

import random
from collections.abc import Hashable, Iterable, Sequence

from .passages import passage_clusters

SPLITS = ("train", "dev", "test")


def check_ratios(ratios: Sequence[float]) -> None:
    if len(ratios) != len(SPLITS) or any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ValueError(
            "ratios are three shares (train, dev, test), not negative, and not all zero"
        )


def assign_splits(
    documents: Iterable[tuple[Hashable, str]],
    ratios: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
) -> dict[Hashable, str]:
    """{document key: "train" | "dev" | "test"} for (key, text) pairs.

    Groups are shuffled with `seed`, then each goes to the split furthest below its share of
    the documents so far, so the sizes come as close to `ratios` as whole groups allow. The
    same documents, ratios and seed always give the same splits."""
    check_ratios(ratios)
    parent: dict[Hashable, Hashable] = {}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    texts = list(documents)
    order = [key for key, _ in texts]
    parent.update((key, key) for key in order)
    for cluster in passage_clusters(texts):
        first, *others = cluster.documents
        for key in others:
            parent[root(key)] = root(first)
    groups: dict[Hashable, list[Hashable]] = {}
    for key in order:
        groups.setdefault(root(key), []).append(key)
    # In an order of their own before the shuffle: the input's order must not show through.
    shuffled = sorted(
        (sorted(group, key=str) for group in groups.values()), key=lambda g: str(g[0])
    )
    random.Random(seed).shuffle(shuffled)
    total = sum(ratios)
    shares = [ratio / total for ratio in ratios]
    counts = [0] * len(SPLITS)
    assigned: dict[Hashable, str] = {}
    for group in shuffled:
        placed = sum(counts) + len(group)
        # The split whose count lags its share the most once this group is placed.
        choice = max(
            range(len(SPLITS)),
            key=lambda i: (shares[i] * placed - counts[i], -i) if shares[i] > 0 else (-1e18, -i),
        )
        counts[choice] += len(group)
        for key in group:
            assigned[key] = SPLITS[choice]
    return assigned
