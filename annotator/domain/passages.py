"""Paragraphs that appear in several documents of a project, word for word or nearly.

Outlets copy each other, and one outlet reuses its own paragraphs from report to report (seeds
000 and 001 share five). A shared paragraph must not be counted twice, must not sit in both
the train and the test split, and, once its gold is decided in one document, can offer that gold
in the others.

Two paragraphs are near-duplicates when the Jaccard similarity of their sets of word 3-grams
reaches the threshold. Words are compared casefolded, with apostrophe and quote variants made
one and punctuation and white space ignored, so "Hama’s" and "Hama's" are the same words. To
find such pairs among millions of paragraphs without comparing them all, each distinct
paragraph gets a MinHash signature, cut into bands (locality-sensitive hashing): only
paragraphs that share a whole band are compared, and each comparison is the exact Jaccard
similarity, so the index may miss a pair but never invents one. The band width is chosen from
the threshold so that a pair exactly at the threshold is found at least 99.5% of the time, and a
more similar pair more often still. The hash functions are fixed (SHAKE-128), not drawn at
random: the same documents always give the same clusters, whatever their order.
"""

import difflib
import hashlib
import re
from array import array
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

SHINGLE_WORDS = 3
SIGNATURE_LENGTH = 32
# Buckets of candidates larger than this are compared with a sliding window (_bucket_pairs).
LARGE_BUCKET = 64
WINDOW = 16
# A pair at the threshold is a candidate at least this often (the band width is chosen for it).
CANDIDATE_RECALL = 0.995
# Short lines ("Syria", a dateline, a byline) are shared by unrelated reports; only paragraphs
# of at least this many words tie documents together.
MIN_WORDS = 8

_VALUE_BYTES = 4
_LINE = re.compile(r"[^\r\n]+")
_WORD = re.compile(r"\w+")
# The seeds mix ’ and '; a copied paragraph may have either. (Words leave all marks out.)
_SAME_MARK = str.maketrans(dict.fromkeys("’‘ʼ′`´", "'") | dict.fromkeys("“”„″", '"'))
_SAME_DASH = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))


@dataclass(frozen=True)
class Paragraph:
    """A non-blank line of a document, white space trimmed: [start, end) in code points."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PassageCluster:
    """Paragraphs of at least two documents that are the same passage.

    `members` are (document id, start, end), ordered by document id then start; `exact` is
    true when every member is the same string. `id` is derived from the first member's words,
    so it does not change when documents are added elsewhere in the project."""

    id: str
    members: tuple[tuple[Hashable, int, int], ...]
    exact: bool

    @property
    def documents(self) -> list[Hashable]:
        return sorted({doc_id for doc_id, _, _ in self.members}, key=str)


def paragraphs(text: str) -> list[Paragraph]:
    paragraphs = []
    for line in _LINE.finditer(text):
        stripped = line.group().strip()
        if stripped:
            start = line.start() + line.group().index(stripped)
            paragraphs.append(Paragraph(start, start + len(stripped), stripped))
    return paragraphs


def comparable_words(text: str) -> list[str]:
    """The words two copies of a passage share, whatever their case, apostrophes and
    punctuation."""
    return _WORD.findall(text.casefold())


def jaccard(first: frozenset[int], second: frozenset[int]) -> float:
    return len(first & second) / len(first | second) if first or second else 1.0


def band_rows(threshold: float) -> int:
    """Rows per band: the widest band that still finds a pair at `threshold` with probability
    CANDIDATE_RECALL. Wider bands give fewer chance candidates to compare."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold is a similarity above 0 and at most 1")
    rows = 1
    for width in range(1, SIGNATURE_LENGTH + 1):
        bands = SIGNATURE_LENGTH // width
        if 1 - (1 - threshold**width) ** bands >= CANDIDATE_RECALL:
            rows = width
    return rows


def passage_clusters(
    documents: Iterable[tuple[Hashable, str]],
    *,
    threshold: float = 0.8,
    min_words: int = MIN_WORDS,
) -> list[PassageCluster]:
    """Clusters of paragraphs shared by several documents, ordered by their first member.

    A paragraph counts when it has at least `min_words` words (separated by white space, as a
    reader counts them). Clusters are transitive: when A is near B and B near C, all three are
    one cluster even if A and C are further apart."""
    rows = band_rows(threshold)
    distinct = _DistinctParagraphs()
    for doc_id, text in documents:
        for paragraph in paragraphs(text):
            if len(paragraph.text.split()) >= min_words:
                distinct.add(doc_id, paragraph)
    parent = list(range(len(distinct.keys)))

    def root(group: int) -> int:
        while parent[group] != group:
            parent[group] = parent[parent[group]]
            group = parent[group]
        return group

    compared: set[tuple[int, int]] = set()
    for first, second in _candidates(distinct.signatures, rows):
        if root(first) != root(second) and (first, second) not in compared:
            compared.add((first, second))
            if jaccard(distinct.shingles(first), distinct.shingles(second)) >= threshold:
                parent[root(second)] = root(first)

    components: dict[int, list[int]] = {}
    for group in range(len(parent)):
        components.setdefault(root(group), []).append(group)
    clusters = []
    for groups in components.values():
        found = sorted(
            (member for group in groups for member in distinct.occurrences[group]),
            key=lambda member: (str(member[1]), member[2], member[3]),
        )
        if len({doc_id for _, doc_id, _, _ in found}) < 2:
            continue
        exact = len(groups) == 1 and len(distinct.strings[groups[0]]) == 1
        members = tuple(member[1:] for member in found)
        clusters.append(PassageCluster(distinct.keys[found[0][0]].hex()[:12], members, exact))
    return sorted(clusters, key=lambda c: (str(c.members[0][0]), c.members[0][1]))


class _DistinctParagraphs:
    """Paragraphs with the same comparable words are one distinct paragraph (a group): its
    signature is computed once, however many documents repeat it.

    Kept compact, as a project of 100,000 documents has a million paragraphs: shingles and
    signatures as packed 32-bit hashes, and of each group's strings only whether there were
    two different ones."""

    def __init__(self) -> None:
        self.group_of: dict[bytes, int] = {}
        self.keys: list[bytes] = []
        self.packed_shingles: list[bytes] = []
        self.signatures: list[bytes] = []
        self.strings: list[set[bytes]] = []
        self.occurrences: list[list[tuple[int, Hashable, int, int]]] = []

    def add(self, doc_id: Hashable, paragraph: Paragraph) -> None:
        words = comparable_words(paragraph.text)
        if not words:
            return  # a row of marks ("* * *") separates passages; it is not one
        key = _digest(" ".join(words))
        group = self.group_of.get(key)
        if group is None:
            group = self.group_of[key] = len(self.keys)
            self.keys.append(key)
            digests = _shingle_digests(words)
            self.packed_shingles.append(b"".join(sorted({d[:4] for d in digests})))
            self.signatures.append(_minhash(digests))
            self.strings.append(set())
            self.occurrences.append([])
        if len(self.strings[group]) < 2:
            self.strings[group].add(_digest(paragraph.text))
        self.occurrences[group].append((group, doc_id, paragraph.start, paragraph.end))

    def shingles(self, group: int) -> frozenset[int]:
        return frozenset(memoryview(self.packed_shingles[group]).cast("I"))


def _candidates(signatures: list[bytes], rows: int) -> Iterator[tuple[int, int]]:
    """Pairs of groups whose signatures agree on a whole band, one band at a time so that only
    one band's index is in memory."""
    width = rows * _VALUE_BYTES
    for band in range(SIGNATURE_LENGTH // rows):
        first_with: dict[bytes, int] = {}
        others: dict[int, list[int]] = {}
        for group, signature in enumerate(signatures):
            key = signature[band * width : (band + 1) * width]
            first = first_with.setdefault(key, group)
            if first != group:
                others.setdefault(first, []).append(group)
        for first, rest in others.items():
            yield from _bucket_pairs([first, *rest])


def _bucket_pairs(bucket: list[int]) -> Iterator[tuple[int, int]]:
    """Every pair of a small bucket. A band shared by very many paragraphs (a template an
    outlet fills in, a corpus of near-identical reports) would cost every pair of them, which
    took 47 s for 5,000 such reports; past LARGE_BUCKET each paragraph is compared with the
    next WINDOW only. Clusters are transitive, so a run of near copies is still found whole."""
    if len(bucket) <= LARGE_BUCKET:
        yield from combinations(bucket, 2)
        return
    for index, group in enumerate(bucket):
        for other in bucket[index + 1 : index + 1 + WINDOW]:
            yield group, other


def carried_spans(
    source_text: str,
    source: tuple[int, int],
    target_text: str,
    target: tuple[int, int],
    spans: Iterable[Sequence[Any]],
) -> list[tuple]:
    """The spans of paragraph `source` (start, end) of one document, moved onto the same words
    in paragraph `target` of another.

    Spans are (start, end, label, …) tuples; whatever follows the label (attributes, say) is
    carried unchanged. Offsets go through a character alignment of the two paragraphs, so a
    word added earlier in the paragraph shifts them; a span whose words are not all there in
    the target (a figure changed from 16 to 17, a name dropped) is left behind. Apostrophe,
    quote and dash variants count as the same words, as annotators mark text as written.
    """
    source_start, source_end = source
    target_start, target_end = target
    matcher = difflib.SequenceMatcher(
        a=source_text[source_start:source_end],
        b=target_text[target_start:target_end],
        autojunk=False,
    )
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    carried = []
    for span in spans:
        start, end = span[0] - source_start, span[1] - source_start
        if start < 0 or span[1] > source_end:
            continue
        first, last = _aligned(blocks, start), _aligned(blocks, end - 1)
        if first is None or last is None or last < first:
            continue
        new_start, new_end = first + target_start, last + 1 + target_start
        if _same_words(source_text[span[0] : span[1]], target_text[new_start:new_end]):
            carried.append((new_start, new_end, *span[2:]))
    return carried


def carried_cluster_spans(
    cluster: PassageCluster,
    texts: Mapping[Hashable, str],
    spans: Mapping[Hashable, Iterable[Sequence[Any]]],
    target: Hashable,
) -> list[tuple]:
    """Spans decided in the cluster's other documents, carried into its paragraphs of
    `target`: suggestions for the target's review.

    `texts` holds the text of the target and of every document in `spans`; `spans` maps a
    document id to its (start, end, label, …) gold spans. The same span carried from two
    documents is offered once (with the attributes of the first); the result is sorted by
    position."""
    documents = {doc_id: list(doc_spans) for doc_id, doc_spans in spans.items()}
    found: dict[tuple, tuple] = {}
    for doc_id, start, end in cluster.members:
        if doc_id == target or doc_id not in documents:
            continue
        for target_id, target_start, target_end in cluster.members:
            if target_id != target:
                continue
            for span in carried_spans(
                texts[doc_id],
                (start, end),
                texts[target],
                (target_start, target_end),
                documents[doc_id],
            ):
                found.setdefault(span[:3], span)
    return [found[key] for key in sorted(found, key=lambda key: (key[0], key[1], str(key[2])))]


def _shingle_digests(words: Sequence[str]) -> list[bytes]:
    """One digest per word 3-gram (one of all the words when there are fewer): SIGNATURE_LENGTH
    independent 32-bit hashes of it, as if it went through that many random permutations."""
    count = max(1, len(words) - SHINGLE_WORDS + 1)
    return [
        hashlib.shake_128(" ".join(words[i : i + SHINGLE_WORDS]).encode()).digest(
            SIGNATURE_LENGTH * _VALUE_BYTES
        )
        for i in range(count)
    ]


def _minhash(digests: list[bytes]) -> bytes:
    """The MinHash signature: for each hash function, the least value over the shingles."""
    columns = zip(*(memoryview(digest).cast("I") for digest in digests), strict=True)
    return array("I", map(min, columns)).tobytes()


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _aligned(blocks: list, offset: int) -> int | None:
    """Where character `offset` of the source paragraph is in the target, if it is there."""
    for block in blocks:
        if block.a <= offset < block.a + block.size:
            return block.b + offset - block.a
    return None


def _same_words(first: str, second: str) -> bool:
    def plain(text: str) -> str:
        return " ".join(text.translate(_SAME_MARK).translate(_SAME_DASH).split())

    return plain(first) == plain(second)
