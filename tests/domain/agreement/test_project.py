import json
import random
from collections import Counter
from itertools import combinations

import pytest

from annotator.domain.agreement import (
    AgreementTally,
    CodedSpan,
    cohen_kappa,
    compare_spans,
    document_tallies,
    fleiss_kappa,
    krippendorff_alpha,
    pooled_f1,
    span_f1,
)
from annotator.domain.labels import AttributeSpec
from annotator.domain.tokenize import token_labels, tokenize

TEXT = "The army shelled Aleppo on Tuesday, killing 2,200 civilians near the old market."
LABELS = ("CASUALTY", "LOCATION", "ACTOR")
SPECS = {
    "CASUALTY": [
        AttributeSpec(name="status", kind="enum", values=("dead", "injured")),
        AttributeSpec(name="value", kind="int"),
    ],
}


def random_codings(rng, annotators):
    codings = {}
    for annotator in annotators:
        spans = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randrange(len(TEXT) - 1)
            end = min(len(TEXT), start + rng.randint(1, 20))
            label = rng.choice(LABELS)
            attributes = {"status": rng.choice(["dead", "injured"]), "value": rng.randint(1, 5)}
            spans.append(CodedSpan(start, end, label, attributes if label == "CASUALTY" else {}))
        codings[annotator] = spans
    # A span everybody marks, so that attributes and boundaries have something to compare.
    shared = CodedSpan(44, 49, "CASUALTY")
    for annotator in annotators:
        end = 49 + rng.randint(0, 1)
        attributes = {"status": rng.choice(["dead", "injured"]), "value": rng.randint(1, 5)}
        codings[annotator].append(shared._replace(end=end, attributes=attributes))
    return codings


def random_project(seed, people=("a", "b", "c")):
    """[{annotator: spans}] of a few documents, each annotated by two or more of `people`."""
    rng = random.Random(seed)
    return [
        random_codings(rng, sorted(rng.sample(people, rng.randint(2, len(people)))))
        for _ in range(rng.randint(2, 6))
    ]


def tally_of(project):
    tally = AgreementTally()
    for codings in project:
        tally.add(document_tallies(TEXT, codings, SPECS))
    return tally


def pair_results(project, match):
    return [
        span_f1(codings[first], codings[second], match)
        for codings in project
        for first, second in combinations(sorted(codings), 2)
    ]


def token_columns(codings):
    tokens = tokenize(TEXT)
    return {
        annotator: ["O" if label is None else label for label in token_labels(tokens, spans)]
        for annotator, spans in codings.items()
    }


@pytest.mark.parametrize("people", ["abc", "abcde"])
@pytest.mark.parametrize("seed", range(15))
def test_figures_do_not_depend_on_the_order_of_the_documents(seed, people):
    project = random_project(seed, people)
    expected = tally_of(project).figures()
    for order in (project[::-1], random.Random(seed).sample(project, len(project))):
        assert tally_of(order).figures() == expected


def test_fleiss_kappa_does_not_depend_on_the_order_when_two_rater_counts_tie():
    # Three annotators on one document, four on another of the same length: as many items each.
    rng = random.Random(1)
    three, four = random_codings(rng, "abc"), random_codings(rng, "abcd")
    first = tally_of([three, four]).figures()["tokens_agreement"]
    assert first == tally_of([four, three]).figures()["tokens_agreement"]
    assert first["kappa_name"] == "Fleiss"


@pytest.mark.parametrize("seed", range(15))
def test_micro_f1_pools_the_counts_and_macro_averages_the_labels(seed):
    project = random_project(seed)
    figures = tally_of(project).figures()
    for match in ("exact", "overlap"):
        pooled = pooled_f1(pair_results(project, match))
        assert figures["f1"][match]["micro"] == pytest.approx(pooled.f1, abs=1e-6)
        assert figures["f1"][match]["matched"] == pooled.true_positives
        assert figures["f1"][match]["unmatched"] == pooled.false_positives + pooled.false_negatives
        label_f1s = [scores.f1 for scores in pooled.per_label.values()]
        assert figures["f1"][match]["macro"] == pytest.approx(
            sum(label_f1s) / len(label_f1s), abs=1e-6
        )
        assert {row["label"]: row[f"{match}_f1"] for row in figures["labels"]} == pytest.approx(
            {label: scores.f1 for label, scores in pooled.per_label.items()}, abs=1e-6
        )


def test_pair_figures_count_their_own_documents_and_spans():
    span, other = CodedSpan(0, 3, "ACTOR"), CodedSpan(4, 8, "ACTOR")
    project = [
        {"a": [span], "b": [span]},
        {"a": [span], "b": [other], "c": [span]},
    ]
    pairs = {(row["first"], row["second"]): row for row in tally_of(project).figures()["pairs"]}
    assert set(pairs) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert pairs["a", "b"]["documents"] == 2
    assert pairs["a", "b"]["exact_f1"] == pytest.approx(2 / 4, abs=1e-6)  # 1 matched, 2 not
    assert pairs["a", "c"]["exact_f1"] == 1.0
    assert pairs["b", "c"]["exact_f1"] == 0.0
    assert pairs["b", "c"]["overlap_f1"] == 0.0


def test_an_annotator_who_marks_extra_spans_has_lower_precision_not_lower_recall():
    shared = [CodedSpan(0, 3, "ACTOR"), CodedSpan(17, 23, "LOCATION")]
    extra = [CodedSpan(44, 49, "CASUALTY"), CodedSpan(50, 59, "CASUALTY")]
    project = [{"eager": shared + extra, "careful": shared}, {"eager": extra[:1], "careful": []}]
    annotators = {row["annotator"]: row for row in tally_of(project).figures()["annotators"]}
    eager, careful = annotators["eager"], annotators["careful"]
    assert eager["documents"] == careful["documents"] == 2
    for match in ("exact", "overlap"):
        assert eager[f"{match}_precision"] == pytest.approx(2 / 5, abs=1e-6)
        assert eager[f"{match}_recall"] == 1.0
        assert careful[f"{match}_precision"] == 1.0
        assert careful[f"{match}_recall"] == pytest.approx(2 / 5, abs=1e-6)
        assert eager[f"{match}_f1"] == careful[f"{match}_f1"]


@pytest.mark.parametrize("seed", range(10))
def test_the_bootstrap_interval_brackets_micro_f1(seed):
    # Many documents of varying agreement, so the interval is a real spread around the estimate.
    rng = random.Random(seed)
    project = [random_codings(rng, ["a", "b"]) for _ in range(30)]
    for codings in project[: rng.randint(5, 25)]:
        codings["b"] = list(codings["a"])  # documents where they agree completely
    f1 = tally_of(project).figures()["f1"]
    for match in ("exact", "overlap"):
        assert f1[match]["low"] <= f1[match]["micro"] <= f1[match]["high"]
        assert f1[match]["low"] < f1[match]["high"]


def test_the_bootstrap_interval_needs_two_documents():
    project = random_project(0)[:1]
    f1 = tally_of(project).figures()["f1"]
    assert f1["exact"]["micro"] is not None
    assert (f1["exact"]["low"], f1["exact"]["high"]) == (None, None)
    assert (f1["overlap"]["low"], f1["overlap"]["high"]) == (None, None)


def test_undefined_coefficients_are_none_and_the_figures_are_valid_json():
    # Nobody marked anything: every token is "O", no spans, no units.
    figures = tally_of([{"a": [], "b": []}, {"a": [], "b": []}]).figures()
    json.dumps(figures, allow_nan=False)
    assert figures["unitizing"]["alpha"] is None
    assert figures["tokens_agreement"] == {"alpha": None, "kappa_name": "Cohen", "kappa": None}
    # Span F1 follows span_f1: both empty is complete agreement, as the pair figures say.
    assert figures["f1"]["exact"]["micro"] == figures["f1"]["exact"]["macro"] == 1.0
    assert figures["pairs"][0]["exact_f1"] == 1.0
    assert figures["labels"] == []
    assert figures["documents"] == 2


def test_an_empty_project_has_figures_too():
    figures = AgreementTally().figures()
    json.dumps(figures, allow_nan=False)
    assert figures["documents"] == 0
    assert figures["f1"]["exact"] == {
        "micro": None,
        "macro": None,
        "low": None,
        "high": None,
        "matched": 0,
        "unmatched": 0,
    }


@pytest.mark.parametrize("seed", range(15))
def test_figures_are_valid_json_whatever_the_data(seed):
    project = random_project(seed, people=("a", "b", "c", "d"))
    # Attributes nobody varies: their alpha is not defined, and must not come out as nan.
    same = {"status": "dead", "value": 1}
    for codings in project:
        for annotator, spans in codings.items():
            codings[annotator] = [
                span._replace(attributes=same) if span.label == "CASUALTY" else span
                for span in spans
            ]
    figures = tally_of(project).figures()
    assert json.loads(json.dumps(figures, allow_nan=False)) == figures
    alphas = {row["attribute"]: row["alpha"] for row in figures["attributes"]}
    assert alphas == {"status": None, "value": None}


def test_cohen_kappa_is_named_with_exactly_two_annotators():
    project = random_project(4, people=("a", "b"))
    tokens = tally_of(project).figures()["tokens_agreement"]
    first = [label for codings in project for label in token_columns(codings)["a"]]
    second = [label for codings in project for label in token_columns(codings)["b"]]
    assert tokens["kappa_name"] == "Cohen"
    assert tokens["kappa"] == pytest.approx(cohen_kappa(first, second), abs=1e-6)


def test_fleiss_kappa_is_named_with_more_annotators():
    rng = random.Random(5)
    project = [random_codings(rng, ["a", "b", "c"]) for _ in range(3)]
    project.append(random_codings(rng, ["a", "c"]))  # in alpha, not in Fleiss' kappa
    tokens = tally_of(project).figures()["tokens_agreement"]
    table = [
        [Counter(values)[label] for label in ("O", *LABELS)]
        for codings in project[:3]
        for values in zip(*token_columns(codings).values(), strict=True)
    ]
    assert tokens["kappa_name"] == "Fleiss"
    assert tokens["kappa"] == pytest.approx(fleiss_kappa(table), abs=1e-6)


def test_token_alpha_takes_every_document_with_missing_values_for_absent_annotators():
    rng = random.Random(6)
    project = [random_codings(rng, ["a", "b", "c"]), random_codings(rng, ["a", "c"])]
    rows = {annotator: [] for annotator in "abc"}
    for codings in project:
        columns = token_columns(codings)
        for annotator, row in rows.items():
            row += columns.get(annotator, [None] * len(tokenize(TEXT)))
    figures = tally_of(project).figures()
    expected = krippendorff_alpha(list(rows.values()))
    assert figures["tokens_agreement"]["alpha"] == pytest.approx(expected, abs=1e-6)
    assert figures["tokens"] == 2 * len(tokenize(TEXT))


def test_unitizing_and_attribute_figures_add_up_the_documents():
    project = random_project(7)
    tallies = [document_tallies(TEXT, codings, SPECS) for codings in project]
    unitizing = tallies[0].unitizing
    for document in tallies[1:]:
        unitizing.add(document.unitizing)
    pooled, per_label = unitizing.alpha()
    figures = tally_of(project).figures()
    assert figures["unitizing"]["alpha"] == pytest.approx(pooled, abs=1e-6)
    assert figures["unitizing"]["characters"] == len(TEXT) * len(project)
    assert {row["label"]: row["unitizing_alpha"] for row in figures["labels"]} == pytest.approx(
        per_label, abs=1e-6
    )


def test_attribute_figures_compare_every_matched_pair_of_every_document():
    project = random_project(9)
    matched = [
        (pairing.first.attributes, pairing.second.attributes)
        for codings in project
        for first, second in combinations(sorted(codings), 2)
        for pairing in compare_spans(codings[first], codings[second])
        if pairing.kind in ("agreed", "boundary") and pairing.first.label == "CASUALTY"
    ]
    rows = {row["attribute"]: row for row in tally_of(project).figures()["attributes"]}
    assert set(rows) == {"status", "value"}
    for name, level in (("status", "nominal"), ("value", "interval")):
        units = [[first[name] for first, _ in matched], [second[name] for _, second in matched]]
        assert rows[name]["level"] == level
        assert rows[name]["values"] == 2 * len(matched)
        assert rows[name]["alpha"] == pytest.approx(krippendorff_alpha(units, level), abs=1e-6)


def test_disagreements_add_up_over_documents_and_pairs():
    project = random_project(8)
    expected = Counter()
    for codings in project:
        expected.update(document_tallies(TEXT, codings).disagreements())
    figures = tally_of(project).figures()
    assert figures["disagreements"] == {
        kind: expected[kind] for kind in ("label", "boundary", "both", "missing")
    }
    # Each annotator's spans, counted once for every other annotator they were compared with.
    assert figures["spans"] == sum(
        len(codings[first]) + len(codings[second])
        for codings in project
        for first, second in combinations(sorted(codings), 2)
    )
