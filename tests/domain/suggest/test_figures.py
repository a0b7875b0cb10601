from pathlib import Path

import pytest

from annotator.domain.suggest import suggest_figures

SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"


def figures(text):
    return [text[s.start : s.end] for s in suggest_figures(text)]


def only(text):
    [suggestion] = suggest_figures(text)
    return text[suggestion.start : suggestion.end], dict(suggestion.attributes)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Airstrikes killed at least 16 civilians on Monday.", "at least 16 civilians"),
        ("More than 2,200 people have been injured.", "More than 2,200 people"),
        ("The bombing killed dozens of people in the market.", "dozens of people"),
        ("The bombing wounded more than 100 across the province.", "more than 100"),
        ("Attacks on Wednesday left another 16 dead.", "16 dead"),
        ("Rebels killed 1500 Syrian troops.", "1500 Syrian troops"),
        ("Four other children are being treated for their injuries.", "Four other children"),
        ("Twenty-three people were killed.", "Twenty-three people"),
        ("One hundred and fifty residents fled the town.", "One hundred and fifty residents"),
        ("The war has displaced 6 million.", "6 million"),
        ("About ١٢٠ civilians were killed.", "About ١٢٠ civilians"),
        ("Between 30 and 40 fighters were killed.", "Between 30 and 40 fighters"),
        ("Rebels thwarted attacks, leaving dozens killed and wounded.", "dozens"),
        ("There are many casualties on the front lines.", "many casualties"),
        ("In Idlib, 5 people were killed.", "5 people"),
    ],
)
def test_a_count_of_people_hurt_is_suggested_as_its_noun_phrase(text, span):
    assert figures(text) == [span]


@pytest.mark.parametrize(
    "text",
    [
        "As her father looked on, Reham, 5, died in the rubble.",
        "The girl, aged 12, was killed.",
        "Omar (12) was killed.",
        "Her 3-year-old sister was killed.",
        "The strike hit the building where the family of 12 were living and killed a man.",
        "Civilians were displaced across the region's 3 million population.",
        "The region is home to around three million people, including many displaced.",
        "Local activists warned of an offensive against the 3 million people in the area.",
        "More than 30 medical facilities have been struck and destroyed.",
        "Helicopters dropped dozens of barrel bombs, killing civilians.",
        "About 20% of those remaining have been displaced.",
        "He controls around 60 percent of the country, where civilians died.",
        "Eight years of war have killed civilians.",
        "The war, since 2011, has killed civilians.",
        "Bombing in the past 72 hours killed civilians.",
        "On July 24, 2019, airstrikes killed civilians.",
        "The strike at 10:30 killed civilians.",
        "Warplanes attacked four towns and cities, killing civilians.",
        "One of them was killed.",
        "Many of them were displaced from other parts of Syria.",
    ],
)
def test_ages_households_populations_objects_and_times_are_not_suggested(text):
    assert figures(text) == []


def test_a_quantity_is_suggested_only_when_its_sentence_says_people_were_hurt():
    assert figures("At least 16 civilians gathered in the square.") == []
    assert figures("At least 16 civilians died. 20 people gathered.") == ["At least 16 civilians"]


def test_a_suggestion_carries_the_parsed_value_qualifier_and_bounds():
    span, attributes = only("The offensive has killed almost 1,200 civilians.")
    assert span == "almost 1,200 civilians"
    assert attributes == {
        "value": 1200,
        "qualifier": "almost",
        "value_best": 1200,
        "value_high": 1200,
        "outcome": "killed",
        "victim_status": "civilian",
    }


def test_another_is_outside_the_span_but_marks_the_figure_additive():
    span, attributes = only("Another 16 civilians were killed on Thursday.")
    assert span == "16 civilians"
    assert attributes["additive"] is True


def test_a_vague_figure_has_a_qualifier_and_no_value():
    _, attributes = only("The offensive has wounded thousands.")
    assert attributes == {"qualifier": "vague", "outcome": "injured"}


@pytest.mark.parametrize(
    ("text", "outcomes"),
    [
        (
            "The bombardment killed at least 59 people and wounded more than 100.",
            ["killed", "injured"],
        ),
        (
            "More than 2,200 people have been injured, and at least 330,000 of Idlib and "
            "northern Hama — about 20% of those remaining — have been displaced.",
            ["injured", "displaced"],
        ),
        ("At least 20 people have been killed and more than 40 wounded.", ["killed", "injured"]),
        ("Seven people were killed in Idlib city, four in al-Nayrab.", ["killed", "killed"]),
        ("Within two weeks, more than 235,000 people fled the area.", ["displaced"]),
        ("At least 12 men were detained at a checkpoint.", ["detained_or_abducted"]),
        (
            "Five journalists remain missing, and 3 fighters were abducted.",
            ["missing", "detained_or_abducted"],
        ),
    ],
)
def test_the_outcome_comes_from_the_verb_the_figure_belongs_to(text, outcomes):
    assert [s.attributes.get("outcome") for s in suggest_figures(text)] == outcomes


def test_a_figure_without_a_stated_outcome_leaves_it_to_the_annotator():
    _, attributes = only("At least six children were among the victims.")
    assert "outcome" not in attributes
    assert attributes["victim_subgroup"] == ["children"]


def test_people_and_women_do_not_make_civilians():
    text = "Three women and 10 people were killed."
    assert [s.attributes.get("victim_status") for s in suggest_figures(text)] == [None, None]


def test_every_suggestion_says_why():
    [suggestion] = suggest_figures("Airstrikes killed at least 16 civilians.")
    assert suggestion.label == "CASUALTY_FIGURE"
    assert suggestion.reason == "counts civilians; outcome word 'killed'"


def test_offsets_are_code_points_of_the_original_text():
    text = "🙂 Résumé: 😢 at least 16 civilians were killed."
    [suggestion] = suggest_figures(text)
    assert text[suggestion.start : suggestion.end] == "at least 16 civilians"


# Every figure of the five seeds, read by hand against DOMAIN.md. The rules must find these
# and nothing else: ages, the family of 12, populations, objects and percentages are absent.
SEED_FIGURES = {
    "000": [
        "at least 16 civilians",
        "at least 10 fatalities",
        "Three women",
        "About 100 civilians",
        "at least 59 people",
        "more than 100",
        "59",  # the "See Syria Daily, July 23: 59 Killed …" link line
        "about 700 civilians",
        "more than 150 children",
        "More than 2,200 people",
        "at least 330,000",
    ],
    "001": [
        "at least 59 people",
        "more than 100",
        "16 dead",
        "about 700 civilians",
        "more than 150 children",
        "More than 2,200 people",
        "at least 330,000",
        "Four other children",
        "At least 10 people",
    ],
    "002": [
        "At least 20 people",
        "more than 40",
        "seven people",
        "four",
        "six",
        "At least six children",
        "almost 1,200 civilians",
        "thousands",
        "more than 600,000",
        "more than 235,000 people",
        "235,000+",  # the "UN — 235,000+ Flee …" link line
    ],
    "003": [
        "16 civilians",
        "more than 50",
        "90,000 people",
        "more than 500,000",
        "more than 1,100 civilians",
        "thousands",
        "many casualties",
    ],
    "004": [
        "At least 14 civilians",
        "three children",
        "dozens",
        "1500 Syrian troops",
        "nearly 1,000 civilians",
        "more than 400,000 people",
        "560,000 people",
        "more than 6 million",
    ],
}


@pytest.mark.parametrize("seed", sorted(SEED_FIGURES))
def test_the_seeds_figures_are_found_and_nothing_else(seed):
    [path] = SEEDS.glob(f"{seed}_*.txt")
    assert figures(path.read_text(encoding="utf-8")) == SEED_FIGURES[seed]
