"""Train / dev / test splits that keep near-duplicate documents together.

News reports reuse paragraphs word for word (two of the seed articles share several), and a
paragraph in both train and test lets a model score on what it has memorised. Documents that
share a paragraph form one group, transitively, and a group goes to one split whole.
"""

import hashlib
import random
import re
from collections.abc import Hashable, Iterable, Sequence

SPLITS = ("train", "dev", "test")
# Short lines ("Syria", a dateline, a byline) are shared by unrelated reports; only paragraphs
# of at least this many words tie documents together.
MIN_WORDS = 8


def paragraph_keys(text: str) -> set[str]:
    """A key for each substantial paragraph, the same however its white space and case differ."""
    keys = set()
    for paragraph in re.split(r"\n\s*\n|\n", text):
        words = paragraph.casefold().split()
        if len(words) >= MIN_WORDS:
            keys.add(hashlib.sha256(" ".join(words).encode()).hexdigest())
    return keys


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

    owner: dict[str, Hashable] = {}
    order: list[Hashable] = []
    for key, text in documents:
        parent[key] = key
        order.append(key)
        for paragraph in paragraph_keys(text):
            if paragraph in owner:
                parent[root(key)] = root(owner[paragraph])
            else:
                owner[paragraph] = key
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
