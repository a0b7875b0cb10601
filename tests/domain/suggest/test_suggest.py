import json
from pathlib import Path

import pytest

from annotator.domain.spans import SpanValue
from annotator.domain.suggest import (
    STARTER_GAZETTEER,
    Suggestion,
    pooled_quality,
    suggest,
    suggestion_quality,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
TEXT = "Pro-Assad forces killed 1500 Syrian troops and at least 16 civilians in Idlib Province."


def shown(text, suggestions):
    return [(text[s.start : s.end], s.label) for s in suggestions]


def test_suggest_gives_figures_and_gazetteer_names_in_text_order():
    assert shown(TEXT, suggest(TEXT, gazetteer=STARTER_GAZETTEER)) == [
        ("Pro-Assad forces", "ACTOR"),
        ("1500 Syrian troops", "CASUALTY_FIGURE"),
        ("at least 16 civilians", "CASUALTY_FIGURE"),
        ("Idlib", "LOCATION"),
    ]


def test_a_figure_wins_over_a_name_inside_it():
    gazetteer = [("Syrian troops", "ACTOR", (), {"actor_type": "syrian_government"})]
    assert ("Syrian troops", "ACTOR") not in shown(TEXT, suggest(TEXT, gazetteer=gazetteer))


def test_ignored_regions_get_no_suggestion_touching_them():
    ignored = [(0, 5), (TEXT.index("16"), TEXT.index("16") + 2)]
    assert shown(TEXT, suggest(TEXT, gazetteer=STARTER_GAZETTEER, ignored=ignored)) == [
        ("1500 Syrian troops", "CASUALTY_FIGURE"),
        ("Idlib", "LOCATION"),
    ]


def test_with_an_empty_gazetteer_only_figures_are_suggested():
    assert {s.label for s in suggest(TEXT, gazetteer=())} == {"CASUALTY_FIGURE"}


def test_quality_scores_suggestions_against_gold_exactly_and_by_overlap():
    suggestions = [
        Suggestion(0, 5, "ACTOR"),
        Suggestion(10, 20, "CASUALTY_FIGURE"),
        Suggestion(30, 35, "LOCATION"),
    ]
    gold = [(0, 5, "ACTOR"), SpanValue(12, 20, "CASUALTY_FIGURE"), (40, 45, "LOCATION")]
    quality = suggestion_quality(suggestions, gold)
    assert (quality.exact.precision, quality.exact.recall) == (pytest.approx(1 / 3),) * 2
    assert (quality.overlap.precision, quality.overlap.recall) == (pytest.approx(2 / 3),) * 2
    figures = quality.overlap.per_label["CASUALTY_FIGURE"]
    assert (figures.precision, figures.recall) == (1.0, 1.0)
    assert quality.exact.per_label["CASUALTY_FIGURE"].f1 == 0.0


def test_pooled_quality_adds_up_the_documents_counts():
    first = suggestion_quality([Suggestion(0, 5, "ACTOR")], [(0, 5, "ACTOR")])
    second = suggestion_quality([Suggestion(0, 5, "ACTOR")], [(6, 9, "ACTOR")])
    pooled = pooled_quality([first, second])
    assert (pooled.exact.true_positives, pooled.exact.false_positives) == (1, 1)
    assert pooled.exact.false_negatives == 1


def demo_gold():
    """The reference annotator's spans on the seeds the demo annotates (annotator2 makes
    deliberate mistakes), as (start, end, label) with the text they were found in."""
    annotations = json.loads((FIXTURES / "demo_annotations.json").read_text(encoding="utf-8"))
    for name, by_annotator in annotations.items():
        if name.startswith("_"):
            continue
        text = (FIXTURES / "seeds" / name).read_text(encoding="utf-8")
        spans = []
        for phrase, occurrence, label, _ in by_annotator["annotator1"]:
            start = -1
            for _ in range(occurrence):
                start = text.index(phrase, start + 1)
            spans.append((start, start + len(phrase), label))
        yield text, spans


def seed_quality(annotated_stretch_only):
    qualities = []
    for text, gold in demo_gold():
        suggestions = suggest(text, gazetteer=STARTER_GAZETTEER)
        if annotated_stretch_only:
            # The demo annotators stopped partway through each article: past their last span
            # a right suggestion would count as wrong.
            last = max(end for _, end, _ in gold)
            suggestions = [s for s in suggestions if s.end <= last]
        qualities.append(suggestion_quality(suggestions, gold))
    return pooled_quality(qualities).exact


# Floors just under what the rules reach on the demo gold (exact match), per label:
# (precision, recall).
WHOLE_TEXT = {
    "CASUALTY_FIGURE": (0.60, 0.95),
    "LOCATION": (0.15, 0.75),
    "ACTOR": (0.20, 0.85),
}
ANNOTATED_STRETCH = {
    "CASUALTY_FIGURE": (0.95, 0.95),
    "LOCATION": (0.45, 0.75),
    "ACTOR": (0.50, 0.85),
}


@pytest.mark.parametrize(
    ("stretch_only", "floors"), [(False, WHOLE_TEXT), (True, ANNOTATED_STRETCH)]
)
def test_suggestions_reach_their_precision_and_recall_on_the_demo_gold(stretch_only, floors):
    per_label = seed_quality(stretch_only).per_label
    reached = {label: (per_label[label].precision, per_label[label].recall) for label in floors}
    for label, (precision, recall) in floors.items():
        assert reached[label][0] >= precision, (label, reached[label])
        assert reached[label][1] >= recall, (label, reached[label])
