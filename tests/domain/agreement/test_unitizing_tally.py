"""UnitizingTally: αU summed over documents, against αU of the documents laid end to end."""

import itertools
import json
import math
import random

import pytest

from annotator.domain.agreement import UnitizingTally, unitizing_alpha, unitizing_disagreements

TRIALS = range(20)


def tiling_units(rng, length):
    """Units of one coder and label on [0, length): the first starts at 0, the last ends at
    `length`, so no gap touches either end of the document."""
    cuts = sorted(rng.sample(range(1, length), rng.randint(0, min(4, length - 1))))
    pieces = list(itertools.pairwise([0, *cuts, length]))
    return [
        piece
        for number, piece in enumerate(pieces)
        if number in (0, len(pieces) - 1) or rng.random() < 0.5
    ]


def random_documents(rng, coders, labels="ABC"):
    """[(length, segments)], every coder marking every label from end to end of each document."""
    documents = []
    for _ in range(rng.randint(2, 5)):
        length = rng.randint(2, 40)
        segments = [
            (coder, start, end, label)
            for coder in coders
            for label in labels
            for start, end in tiling_units(rng, length)
        ]
        documents.append((length, segments))
    return documents


def end_to_end(documents):
    """The documents' segments on one continuum, each document shifted past the previous ones."""
    segments, offset = [], 0
    for length, document in documents:
        segments += [
            (coder, start + offset, end + offset, label) for coder, start, end, label in document
        ]
        offset += length
    return segments, offset


def tally_of(documents, coders=None):
    tally = UnitizingTally()
    for length, segments in documents:
        tally.add_document(segments, 0, length, coders=coders)
    return tally


def document_tally(length, segments, coders=None):
    return tally_of([(length, segments)], coders)


def through_json(tally):
    return UnitizingTally.from_json(json.loads(json.dumps(tally.to_json())))


def flat(disagreements):
    """{label: (D_O, D_E)} as {(label, "observed"/"expected"): value}, for pytest.approx."""
    return {
        (label, part): value
        for label, pair in disagreements.items()
        for part, value in zip(("observed", "expected"), pair, strict=True)
    }


def nan_as_none(result):
    """alpha() with nan made comparable: nan != nan."""
    pooled, per_label = result
    return none_for_nan(pooled), {label: none_for_nan(value) for label, value in per_label.items()}


def none_for_nan(value):
    return None if math.isnan(value) else value


@pytest.mark.parametrize("seed", TRIALS)
def test_documents_that_code_end_to_end_give_alpha_of_their_concatenation(seed):
    rng = random.Random(seed)
    coders = ["a", "b", "c", "d"][: rng.randint(2, 4)]
    documents = random_documents(rng, coders)
    segments, length = end_to_end(documents)
    tally = tally_of(documents)
    pooled, per_label = unitizing_alpha(segments, 0, length)
    assert tally.alpha()[0] == pytest.approx(pooled, abs=1e-12)
    assert tally.alpha()[1] == pytest.approx(per_label, abs=1e-12)
    expected = unitizing_disagreements(segments, 0, length)
    assert flat(tally.disagreements()) == pytest.approx(flat(expected), abs=1e-12)
    assert tally.length == length


@pytest.mark.parametrize("seed", TRIALS)
def test_a_label_missing_from_a_document_gets_that_documents_whole_length_as_gaps(seed):
    # Y is marked end to end in the first and last documents but not in the middle one: laid end
    # to end, every coder's Y gap is exactly the middle document, as the tally must count it.
    rng = random.Random(seed)
    coders = ["a", "b", "c"][: rng.randint(2, 3)]
    documents = (
        random_documents(rng, coders, labels="XY")[:2]
        + random_documents(rng, coders, labels="XY")[:1]
    )
    first, middle, last = documents
    middle = (middle[0], [segment for segment in middle[1] if segment[3] == "X"])
    documents = [first, middle, last]
    segments, length = end_to_end(documents)
    expected = unitizing_disagreements(segments, 0, length)
    assert flat(tally_of(documents).disagreements()) == pytest.approx(flat(expected), abs=1e-12)
    assert tally_of(documents).alpha()[1] == pytest.approx(
        unitizing_alpha(segments, 0, length)[1], abs=1e-12
    )


def test_expected_disagreement_counts_a_document_without_the_label_by_hand():
    # Document 1, length 4: a and b both mark X [0, 2); each has a gap of 2. Document 2, length
    # 3: a and b mark nothing, so each has a whole-document gap of 3 for X.
    # L = 7, R L = 14, X units 2 and 2 (N = 2). Per unit l = 2:
    #   (N - 1)(2·8 - 3·4 + 2)/3 = 2, and l² Σ over gaps ≥ 2 of (g - l + 1) = 4 × (1+1+2+2) = 24
    # D_E = 2/L × 2 × 26 / (14·13 - 2·2) = 104 / (7 × 178); D_O = 0.
    tally = document_tally(4, [("a", 0, 2, "X"), ("b", 0, 2, "X")])
    tally.add(document_tally(3, [], coders=["a", "b"]))
    assert tally.disagreements() == {"X": (0.0, pytest.approx(104 / (7 * 178), abs=1e-15))}
    assert tally.alpha() == (1.0, {"X": 1.0})


@pytest.mark.parametrize("seed", TRIALS)
def test_adding_document_tallies_in_any_order_gives_the_same_figures(seed):
    rng = random.Random(seed)
    documents = random_documents(rng, ["a", "b", "c"])
    # Some documents with fewer coders or uncoded labels, so the parts are not all alike.
    documents.append((15, [("a", 2, 9, "A"), ("b", 3, 9, "A"), ("b", 0, 4, "D")]))
    documents.append((12, [("a", 0, 5, "B"), ("c", 1, 5, "B")]))
    parts = [document_tally(length, segments) for length, segments in documents]
    at_once = tally_of(documents)
    for order in [parts, parts[::-1], rng.sample(parts, len(parts))]:
        summed = UnitizingTally()
        for part in order:
            summed.add(through_json(part))
        assert nan_as_none(summed.alpha()) == nan_as_none(at_once.alpha())
        assert summed.disagreements() == at_once.disagreements()


def test_added_tallies_equal_one_tally_fed_every_document():
    documents = random_documents(random.Random(7), ["a", "b"])
    summed = UnitizingTally()
    for length, segments in documents:
        summed.add(document_tally(length, segments))
    assert summed.to_json() == tally_of(documents).to_json()


@pytest.mark.parametrize("seed", TRIALS)
def test_json_round_trip_keeps_the_figures(seed):
    rng = random.Random(seed)
    documents = random_documents(rng, ["a", "b", "c"][: rng.randint(2, 3)])
    tally = tally_of(documents)
    tally.add(document_tally(10, [("solo", 0, 3, "Z")]))
    again = through_json(tally)
    assert nan_as_none(again.alpha()) == nan_as_none(tally.alpha())
    assert again.to_json() == tally.to_json()


def test_documents_with_different_numbers_of_coders_weigh_observed_disagreement_by_their_own():
    # Two coders on the first document, three on the second: D_O sums 2/(R_d(R_d - 1)) Σ δ.
    first = [("a", 0, 4, "X"), ("b", 1, 4, "X")]  # δ = 1
    second = [("a", 0, 2, "X"), ("b", 0, 2, "X"), ("c", 0, 3, "X")]  # δ = 1 + 1 = 2
    tally = document_tally(5, first)
    tally.add(document_tally(6, second))
    observed, _ = tally.disagreements()["X"]
    assert observed == pytest.approx((2 * 1 / 2 + 2 * 2 / 6) / 11**2, abs=1e-15)
    assert tally.coded_length == 2 * 5 + 3 * 6


def test_a_document_with_one_coder_adds_nothing_but_its_labels_are_not_defined():
    two_coders = document_tally(10, [("a", 0, 5, "C"), ("b", 1, 5, "C")])
    before = two_coders.alpha()
    alone = document_tally(8, [("a", 0, 3, "C"), ("a", 4, 6, "Z")])
    assert math.isnan(alone.alpha()[0])
    two_coders.add(alone)
    pooled, per_label = two_coders.alpha()
    assert per_label["C"] == before[1]["C"]
    assert math.isnan(per_label["Z"])
    assert all(math.isnan(value) for value in two_coders.disagreements()["Z"])
    assert pooled == before[0]  # Z, coded by one coder only, has no say in the pooled value
    assert two_coders.length == 10


def test_a_label_coded_alone_somewhere_and_by_two_elsewhere_is_defined():
    tally = document_tally(8, [("a", 0, 3, "C")])
    tally.add(document_tally(10, [("a", 0, 5, "C"), ("b", 1, 5, "C")]))
    assert (
        tally.alpha()[1]["C"]
        == unitizing_alpha([("a", 0, 5, "C"), ("b", 1, 5, "C")], 0, 10)[1]["C"]
    )


def test_an_empty_tally_has_no_figures():
    assert nan_as_none(UnitizingTally().alpha()) == (None, {})
    assert UnitizingTally().disagreements() == {}
