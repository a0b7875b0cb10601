import json
import math
import random
from collections import Counter
from itertools import combinations

import pytest

from annotator.domain.agreement import (
    CodedSpan,
    DocumentTallies,
    attribute_level,
    cohen_kappa,
    compare_spans,
    document_tallies,
    fleiss_kappa,
    krippendorff_alpha,
    span_f1,
    unitizing_alpha,
)
from annotator.domain.labels import AttributeSpec
from annotator.domain.tokenize import token_labels, tokenize

TEXT = "The army shelled Aleppo on Tuesday, killing 2,200 civilians near the old market."
LABELS = ("CASUALTY", "LOCATION", "ACTOR")
SPECS = {
    "CASUALTY": [
        AttributeSpec(name="status", kind="enum", values=("dead", "injured")),
        AttributeSpec(name="value", kind="int"),
        AttributeSpec(name="certain", kind="bool"),
        AttributeSpec(name="note", kind="text"),
    ],
}


def random_codings(rng, annotators):
    codings = {}
    for annotator in annotators:
        spans = []
        for _ in range(rng.randint(0, 7)):
            start = rng.randrange(len(TEXT) - 1)
            end = min(len(TEXT), start + rng.randint(1, 20))
            spans.append(CodedSpan(start, end, rng.choice(LABELS)))
        codings[annotator] = spans
    return codings


def columns(codings):
    """Each annotator's token labels, "O" outside every span, in sorted annotator order."""
    tokens = tokenize(TEXT)
    return {
        annotator: ["O" if label is None else label for label in token_labels(tokens, spans)]
        for annotator, spans in sorted(codings.items())
    }


def through_json(tallies):
    return DocumentTallies.from_json(json.loads(json.dumps(tallies.to_json())))


def nan_or(value):
    return None if math.isnan(value) else value


@pytest.mark.parametrize("seed", range(20))
def test_pair_counts_agree_with_span_f1(seed):
    rng = random.Random(seed)
    codings = random_codings(rng, ["c", "a", "b"])
    tallies = document_tallies(TEXT, codings)
    assert tallies.annotators == ["a", "b", "c"]
    assert [(pair.first, pair.second) for pair in tallies.pairs] == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    for pair in tallies.pairs:
        first, second = codings[pair.first], codings[pair.second]
        for match in ("exact", "overlap"):
            expected = {
                label: [
                    scores.true_positives,
                    sum(span.label == label for span in first) - scores.true_positives,
                    sum(span.label == label for span in second) - scores.true_positives,
                ]
                for label, scores in span_f1(first, second, match).per_label.items()
            }
            assert getattr(pair, match) == expected


@pytest.mark.parametrize("seed", range(20))
def test_token_coefficients_agree_with_the_coefficient_functions(seed):
    rng = random.Random(seed)
    codings = random_codings(rng, ["a", "b", "c"][: rng.randint(2, 3)])
    by_annotator = columns(codings)
    tallies = document_tallies(TEXT, codings)
    assert tallies.tokens == len(tokenize(TEXT))
    expected_alpha = krippendorff_alpha(list(by_annotator.values()))
    assert nan_or(tallies.token_alpha.alpha()) == pytest.approx(nan_or(expected_alpha), abs=1e-9)
    for pair in tallies.pairs:
        expected = cohen_kappa(by_annotator[pair.first], by_annotator[pair.second])
        assert nan_or(pair.tokens.kappa()) == pytest.approx(nan_or(expected), abs=1e-9)
    table = [
        [Counter(values)[label] for label in ("O", *LABELS)]
        for values in zip(*by_annotator.values(), strict=True)
    ]
    expected_fleiss = fleiss_kappa(table)
    assert nan_or(tallies.fleiss.kappa()) == pytest.approx(nan_or(expected_fleiss), abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_unitizing_tally_is_the_documents_unitizing_alpha(seed):
    rng = random.Random(seed)
    codings = random_codings(rng, ["a", "b", "c"])
    segments = [(who, s.start, s.end, s.label) for who, spans in codings.items() for s in spans]
    pooled, per_label = unitizing_alpha(segments, 0, len(TEXT), coders=list(codings))
    got_pooled, got_per_label = document_tallies(TEXT, codings).unitizing.alpha()
    assert nan_or(got_pooled) == nan_or(pooled)
    assert got_per_label == pytest.approx(per_label, nan_ok=True)


def test_an_annotator_who_marked_nothing_still_disagrees():
    span = CodedSpan(4, 8, "ACTOR")
    tallies = document_tallies(TEXT, {"a": [span], "b": []})
    assert tallies.pairs[0].exact == {"ACTOR": [0, 1, 0]}
    assert tallies.score() == 0.0
    assert tallies.unitizing.alpha()[0] < 1.0
    assert tallies.disagreements() == {"missing": 1}


@pytest.mark.parametrize("seed", range(20))
def test_disagreements_are_compare_spans_kinds_over_every_pair(seed):
    rng = random.Random(seed)
    codings = random_codings(rng, ["a", "b", "c"])
    expected = Counter(
        pairing.kind
        for first, second in combinations(sorted(codings), 2)
        for pairing in compare_spans(codings[first], codings[second])
        if pairing.kind != "agreed"
    )
    assert document_tallies(TEXT, codings).disagreements() == expected


def test_score_is_one_when_nobody_marked_anything():
    assert document_tallies(TEXT, {"a": [], "b": []}).score() == 1.0


@pytest.mark.parametrize("seed", range(10))
def test_score_is_exact_span_f1(seed):
    rng = random.Random(seed)
    codings = random_codings(rng, ["a", "b"])
    codings["b"].append(codings["a"][0] if codings["a"] else CodedSpan(0, 3, "ACTOR"))
    assert document_tallies(TEXT, codings).score() == span_f1(codings["a"], codings["b"]).f1


def test_score_pools_exact_matches_over_the_pairs():
    # a-b: 1 matched, 1 unmatched (a's L); a-c and b-c: nothing in common, 2 + 1 and 1 + 1.
    shared, other = CodedSpan(0, 3, "ACTOR"), CodedSpan(4, 8, "LOCATION")
    codings = {"a": [shared, other], "b": [shared], "c": [CodedSpan(10, 12, "ACTOR")]}
    tallies = document_tallies(TEXT, codings)
    assert tallies.totals("exact") == (1, 1 + 3 + 2)
    assert tallies.score() == 2 * 1 / (2 * 1 + 6)


def casualty(start, end, **attributes):
    return CodedSpan(start, end, "CASUALTY", attributes)


def test_attributes_of_matched_spans_are_compared_by_level():
    codings = {
        "a": [
            casualty(0, 3, status="dead", value=12, certain=True, note="twelve"),
            casualty(10, 16, status="injured", value=3, certain=False),
        ],
        "b": [
            casualty(0, 3, status="dead", value=12, certain=True, note="12 people"),
            casualty(10, 17, status="injured", value=3, certain=False),  # a boundary pair
        ],
    }
    attributes = document_tallies(TEXT, codings, SPECS).attributes
    assert set(attributes) == {
        ("CASUALTY", "status"),
        ("CASUALTY", "value"),
        ("CASUALTY", "certain"),
    }  # free text is not compared
    assert attributes["CASUALTY", "status"].alpha() == 1.0
    assert attributes["CASUALTY", "certain"].alpha() == 1.0
    assert attributes["CASUALTY", "value"].alpha() == 1.0
    assert type(attributes["CASUALTY", "value"]).__name__ == "IntervalAlphaTally"


def test_an_attribute_disagreement_lowers_its_alpha():
    agreeing = {
        "a": [casualty(0, 3, status="dead", value=12), casualty(10, 16, status="injured", value=3)],
        "b": [casualty(0, 3, status="dead", value=12), casualty(10, 16, status="injured", value=3)],
    }
    disagreeing = {
        "a": agreeing["a"],
        "b": [
            casualty(0, 3, status="injured", value=10),
            casualty(10, 16, status="injured", value=3),
        ],
    }
    before = document_tallies(TEXT, agreeing, SPECS).attributes
    after = document_tallies(TEXT, disagreeing, SPECS).attributes
    for name, level in (("status", "nominal"), ("value", "interval")):
        assert before["CASUALTY", name].alpha() == 1.0
        assert after["CASUALTY", name].alpha() < 1.0
        values = (
            [[12, 3], [10, 3]] if name == "value" else [["dead", "injured"], ["injured", "injured"]]
        )
        assert after["CASUALTY", name].alpha() == pytest.approx(krippendorff_alpha(values, level))


def test_identical_attributes_without_variation_give_nan():
    coding = [casualty(0, 3, status="dead"), casualty(10, 16, status="dead")]
    attributes = document_tallies(TEXT, {"a": coding, "b": coding}, SPECS).attributes
    assert math.isnan(attributes["CASUALTY", "status"].alpha())


def test_attributes_of_unmatched_spans_are_not_compared():
    codings = {
        "a": [casualty(0, 3, status="dead"), casualty(20, 25, status="dead")],
        "b": [
            CodedSpan(0, 3, "ACTOR", {"status": "injured"}),  # a label disagreement
            casualty(40, 45, status="injured"),  # missing on both sides
        ],
    }
    assert document_tallies(TEXT, codings, SPECS).attributes == {}


def test_a_missing_attribute_value_leaves_its_pair_out():
    codings = {
        "a": [casualty(0, 3, status="dead"), casualty(10, 16, status="injured")],
        "b": [casualty(0, 3, status="dead"), casualty(10, 16, status="")],
    }
    tally = document_tallies(TEXT, codings, SPECS).attributes["CASUALTY", "status"]
    assert tally.coincidences == {("dead", "dead"): 2}


def test_bool_and_multiple_choice_values_are_compared_as_categories():
    specs = {"CASUALTY": [AttributeSpec(name="who", kind="enum", values=("m", "f"), multiple=True)]}
    codings = {
        "a": [casualty(0, 3, who=["m", "f"]), casualty(10, 16, who=["m"])],
        "b": [casualty(0, 3, who=["f", "m"]), casualty(10, 16, who=["f"])],
    }
    tally = document_tallies(TEXT, codings, specs).attributes["CASUALTY", "who"]
    assert tally.coincidences == {("f+m", "f+m"): 2, ("m", "f"): 1, ("f", "m"): 1}


def test_numbers_are_compared_as_numbers_however_they_are_written():
    codings = {
        "a": [casualty(0, 3, value="2,200"), casualty(10, 16, value="١٦")],
        "b": [casualty(0, 3, value=2200), casualty(10, 16, value=16)],
    }
    tally = document_tallies(TEXT, codings, SPECS).attributes["CASUALTY", "value"]
    assert tally.alpha() == 1.0
    assert tally.alpha() == pytest.approx(krippendorff_alpha([[2200, 16], [2200, 16]], "interval"))


def test_a_value_that_is_no_number_leaves_its_pair_out():
    codings = {
        "a": [casualty(0, 3, value="dozens"), casualty(10, 16, value="3")],
        "b": [casualty(0, 3, value=24), casualty(10, 16, value=3)],
    }
    tally = document_tallies(TEXT, codings, SPECS).attributes["CASUALTY", "value"]
    assert tally.alpha() == pytest.approx(krippendorff_alpha([[3], [3]], "interval"), nan_ok=True)


def test_attribute_level_follows_the_kind():
    levels = {spec.name: attribute_level(spec) for spec in SPECS["CASUALTY"]}
    assert levels == {"status": "nominal", "value": "interval", "certain": "nominal", "note": None}


def test_derived_attributes_are_not_compared_again():
    derived = AttributeSpec(name="value_best", kind="int", derived=True)
    assert attribute_level(derived) is None
    specs = {"CASUALTY": (derived,)}
    codings = {
        "a": [CodedSpan(0, 3, "CASUALTY", {"value_best": 4})],
        "b": [CodedSpan(0, 3, "CASUALTY", {"value_best": 9})],
    }
    assert document_tallies(TEXT, codings, specs).attributes == {}


@pytest.mark.parametrize("seed", range(10))
def test_json_round_trip_keeps_everything(seed):
    rng = random.Random(seed)
    codings = random_codings(rng, ["a", "b", "c"])
    codings["a"].append(casualty(0, 3, status="dead", value=4, certain=True))
    codings["b"].append(casualty(0, 3, status="injured", value=7, certain=True))
    codings["c"].append(casualty(1, 3, status="dead", value=4, certain=False))
    tallies = document_tallies(TEXT, codings, SPECS)
    again = through_json(tallies)
    assert again.to_json() == json.loads(json.dumps(tallies.to_json()))
    assert again.score() == tallies.score()
    assert again.disagreements() == tallies.disagreements()
    assert again.totals("overlap") == tallies.totals("overlap")
    assert nan_or(again.token_alpha.alpha()) == nan_or(tallies.token_alpha.alpha())
    for key, tally in tallies.attributes.items():
        assert type(again.attributes[key]) is type(tally)
        assert nan_or(again.attributes[key].alpha()) == nan_or(tally.alpha())
    assert len(tallies.attributes) == 3


def test_tokens_passed_in_give_the_same_tallies():
    codings = random_codings(random.Random(3), ["a", "b"])
    given = document_tallies(TEXT, codings, tokens=tokenize(TEXT))
    assert given.to_json() == document_tallies(TEXT, codings).to_json()
