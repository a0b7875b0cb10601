import json
from pathlib import Path

import pytest

from annotator.domain.agreement import CodedSpan, document_tallies, span_f1
from annotator.domain.ignored import (
    blank_ignored,
    codings_outside_ignored,
    find_boilerplate,
    mask,
    outside_ignored,
)
from annotator.domain.spans import SpanValue

FIXTURES = Path(__file__).parents[2] / "fixtures"
SEEDS = {path.name[:3]: path.read_text(encoding="utf-8") for path in FIXTURES.glob("seeds/*.txt")}


def proposed(name: str) -> list[tuple[str, str]]:
    text = SEEDS[name]
    return [(reason, text[start:end]) for start, end, reason in find_boilerplate(text)]


def demo_spans(name: str, annotator: str) -> list[tuple[int, int, str]]:
    demo = json.loads((FIXTURES / "demo_annotations.json").read_text(encoding="utf-8"))
    (article,) = [key for key in demo if key.startswith(name)]
    text, spans = SEEDS[name], []
    for phrase, occurrence, label, _ in demo[article][annotator]:
        start = -1
        for _ in range(occurrence):
            start = text.index(phrase, start + 1)
        spans.append((start, start + len(phrase), label))
    return spans


def test_the_seeds_link_lines_bylines_credits_and_comments_are_proposed():
    assert proposed("000") == [
        ("link", "See Syria Daily, July 23: 59 Killed in Pro-Assad Bombing of Idlib Province"),
        ("link", "See Syria Daily, July 19: Russia Denies Its Special Forces Are On Battlefield"),
    ]
    assert proposed("001") == [
        ("link", "See Syria Daily, July 25: Another Pro-Assad Mass Killing in Idlib Province"),
    ]
    assert proposed("002") == [
        (
            "link",
            "See also Syria Daily, Jan 9: Russia and Regime Pound Emptied Town of "
            "Ma’arat al-Num’an, Damage Last Hospital",
        ),
        ("link", "Syria Daily, Dec 28: UN — 235,000+ Flee Latest Russia-Regime Offensive in Idlib"),
    ]
    assert proposed("003") == []
    assert proposed("004") == [
        ("credit", "Zaman Al Wasl, Agencies"),
        ("byline", "Zaman Al Wasl"),
        ("comments", "Comments About This Article\nPlease fill the fields below."),
    ]


def test_photo_captions_and_the_demo_annotations_are_left_alone():
    for name in ("000", "001", "002"):
        regions = find_boilerplate(SEEDS[name])
        assert all(start > SEEDS[name].index("\n") for start, _, _ in regions)
        for annotator in ("annotator1", "annotator2"):
            spans = demo_spans(name, annotator)
            assert outside_ignored(spans, regions) == spans


def test_a_figure_in_a_link_line_is_not_suggested_but_the_same_figure_in_the_report_is():
    text = SEEDS["000"]
    in_link = text.index("59 Killed")
    in_report = text.index("at least 59 people")
    suggestions = [
        (in_report, in_report + 18, "CASUALTY_FIGURE"),
        (in_link, in_link + 9, "CASUALTY_FIGURE"),
    ]
    assert outside_ignored(suggestions, find_boilerplate(text)) == suggestions[:1]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share this article", "share"),
        ("Share on Facebook | Twitter | WhatsApp", "share"),
        ("Photo: AFP/Getty Images", "image_credit"),
        ("© Reuters / Khalil Ashawi", "image_credit"),
        ("By our correspondent", "byline"),
        ("By Scott Lucas", "byline"),
        ("Read more: https://example.org/syria-daily", "link"),
        ("https://example.org/syria-daily/2019/07/25", "link"),
    ],
)
def test_other_furniture_is_proposed(line, reason):
    report = "Three women were killed in the town of Mohambel, and casualties were also reported."
    text = f"{report}\n\n{line}\n\n{report}\n"
    start = text.index(line)
    assert find_boilerplate(text) == [(start, start + len(line), reason)]


def test_an_image_credit_inside_a_caption_is_proposed_without_the_caption():
    text = "Rescuers in Ariha, Idlib Province, July 24, 2019 (Photo: White Helmets)\n\nBody."
    start = text.index("(Photo")
    assert find_boilerplate(text) == [(start, text.index(")") + 1, "image_credit")]


def test_everything_after_a_comments_heading_is_one_region():
    text = "Report.\n\n3 Comments\n\nReader: so sad.\nAnother reader: indeed."
    assert find_boilerplate(text) == [(text.index("3 Comments"), len(text), "comments")]


def test_report_sentences_are_not_proposed():
    text = (
        "See how the bombing went on: at least 16 civilians were killed in Ariha.\n"
        "By Wednesday, more than 100 people had been wounded in the attacks on the town.\n"
        "Photographs showed the destroyed edge of the building.\n"
        "Rescuers said the search for victims would continue on Thursday."
    )
    assert find_boilerplate(text) == []


def test_the_mask_is_sorted_and_merged():
    regions = [(50, 60, "link"), (10, 20, "byline"), (15, 25, "credit"), (25, 30, "share")]
    assert mask(100, regions) == [(10, 30), (50, 60)]
    assert mask(100, []) == []


@pytest.mark.parametrize("region", [(-1, 5), (5, 5), (90, 101)])
def test_a_region_outside_the_text_is_refused(region):
    with pytest.raises(ValueError, match="region"):
        mask(100, [region])


def test_a_span_reaching_into_a_region_is_dropped_and_one_beside_it_kept():
    regions = [(10, 20, "link")]
    spans = [(5, 10, "ACTOR"), (8, 12, "ACTOR"), (19, 25, "ACTOR"), (20, 22, "ACTOR")]
    assert outside_ignored(spans, regions) == [(5, 10, "ACTOR"), (20, 22, "ACTOR")]
    values = [SpanValue(0, 4, "ACTOR", id=1), SpanValue(12, 14, "ACTOR", id=2)]
    assert outside_ignored(values, regions) == values[:1]


def test_agreement_leaves_ignored_regions_out():
    text = SEEDS["000"]
    regions = find_boilerplate(text)
    report = text.index("at least 59 people")
    link = text.index("59 Killed")
    codings = {
        "annotator1": [CodedSpan(report, report + 18, "CASUALTY_FIGURE")],
        "annotator2": [
            CodedSpan(report, report + 18, "CASUALTY_FIGURE"),
            CodedSpan(link, link + 9, "CASUALTY_FIGURE"),
        ],
    }
    assert span_f1(*codings.values()).f1 < 1
    kept = codings_outside_ignored(codings, regions)
    assert span_f1(*kept.values()).f1 == 1

    blanked = blank_ignored(text, regions)
    assert len(blanked) == len(text)
    assert blanked.count("\n") == text.count("\n")
    assert "See Syria Daily" not in blanked
    assert blanked[report : report + 18] == "at least 59 people"
    assert document_tallies(blanked, kept).tokens < document_tallies(text, kept).tokens
