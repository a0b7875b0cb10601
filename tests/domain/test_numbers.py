import pytest

from annotator.domain.numbers import (
    Quantity,
    derive_bounds,
    figure_attributes,
    parse_number,
    parse_quantity,
    quantity_mentions,
    values_agree,
)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("at least 16 civilians", Quantity(16, "at_least")),
        ("More than 2,200 people", Quantity(2200, "more_than")),
        ("Three women", Quantity(3, "exact")),
        ("6 million", Quantity(6_000_000, "exact")),
        ("1.5 million people", Quantity(1_500_000, "exact")),
        ("About 100 civilians", Quantity(100, "approx")),
        ("almost 1,200", Quantity(1200, "almost")),
        ("nearly twenty-five children", Quantity(25, "almost")),
        ("up to 40 people", Quantity(40, "at_most")),
        ("a hundred families", Quantity(100, "exact")),
        ("two hundred and fifty people", Quantity(250, "exact")),
        ("dozens", Quantity(None, "vague")),
        ("hundreds of civilians", Quantity(None, "vague")),
        ("١٦ مدنيا", Quantity(16, "exact")),
        ("۲۰ نفر", Quantity(20, "exact")),
        ("between 30 and 40 people", Quantity(30, "range", 40)),
        ("10-15 fighters", Quantity(10, "range", 15)),
        ("half of the victims", Quantity(None, "proportion")),
        ("A White Helmets rescuer", Quantity(None, None)),
    ],
)
def test_parse_quantity(phrase, expected):
    assert parse_quantity(phrase) == expected


@pytest.mark.parametrize("phrase", ["9" * 5000 + " people", "9" * 400 + " million people"])
def test_absurdly_long_numbers_are_no_value_rather_than_a_crash(phrase):
    assert parse_quantity(phrase).value is None


@pytest.mark.parametrize(
    ("qualifier", "value", "upper", "bounds"),
    [
        ("exact", 16, None, (16, 16, 16)),
        ("at_least", 59, None, (59, None, None)),
        ("more_than", 100, None, (101, None, None)),
        ("almost", 1200, None, (None, 1200, 1200)),
        ("approx", 700, None, (None, 700, None)),
        ("at_most", 40, None, (None, None, 40)),
        ("range", 30, 40, (30, None, 40)),
        ("vague", None, None, (None, None, None)),
        (None, 5, None, (None, None, None)),
    ],
)
def test_derive_bounds(qualifier, value, upper, bounds):
    assert derive_bounds(qualifier, value, upper) == bounds


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("1 200 people", Quantity(1200, "exact")),
        ("1\u202f200 people", Quantity(1200, "exact")),
        ("100+ civilians", Quantity(100, "at_least")),
        ("235,000+", Quantity(235_000, "at_least")),
        ("twenty-three children", Quantity(23, "exact")),
        ("one hundred and fifty people", Quantity(150, "exact")),
        ("a dozen fighters", Quantity(12, "exact")),
        ("two dozen", Quantity(24, "exact")),
        ("two thousand people", Quantity(2000, "exact")),
        ("Three hundred thousand", Quantity(300_000, "exact")),
        ("١٬٢٠٠ شخص", Quantity(1200, "exact")),
        ("over 500 people", Quantity(500, "more_than")),
        ("around 300", Quantity(300, "approx")),
        ("some 300 civilians", Quantity(300, "approx")),
        ("at most 12", Quantity(12, "at_most")),
        ("fewer than 50 people", Quantity(50, "at_most")),
        ("as many as 40", Quantity(40, "at_most")),
        ("just under 100", Quantity(100, "almost")),
        ("another 16 dead", Quantity(16, "exact", additive=True)),
        ("a further 90,000 people", Quantity(90_000, "exact", additive=True)),
        ("between 2,000 and 3,000 people", Quantity(2000, "range", 3000)),
        ("30 to 40 people", Quantity(30, "range", 40)),
        ("scores of people", Quantity(None, "vague")),
        ("many civilians", Quantity(None, "vague")),
        ("some civilians", Quantity(None, "vague")),
        ("about 20%", Quantity(None, "proportion")),
        ("One of them", Quantity(None, None)),
    ],
)
def test_parse_quantity_reads_every_way_reports_write_numbers(phrase, expected):
    assert parse_quantity(phrase) == expected


def test_a_quantity_carries_its_bounds():
    assert parse_quantity("almost 1,200 civilians").bounds == (None, 1200, 1200)
    assert parse_quantity("between 30 and 40 people").bounds == (30, None, 40)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,200", 2200),
        ("2200", 2200),
        (" 1 200 ", 1200),
        ("two thousand two hundred", 2200),
        ("6 million", 6_000_000),
        ("1.5 million", 1_500_000),
        ("۲۰", 20),
        ("2.5", None),
        ("about 700", None),
        ("civilians", None),
        ("", None),
    ],
)
def test_parse_number_reads_the_whole_text_as_one_number_or_nothing(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("2,200", "2200", True),
        (2200, "2,200", True),
        ("two thousand", 2000, True),
        ("٢٢٠٠", "2,200", True),
        ("2,200", "2,300", False),
        (None, "", True),
        (None, 5, False),
        ("killed", " Killed", True),
        (True, 1, False),
    ],
)
def test_values_agree_compares_numbers_as_numbers(first, second, agree):
    assert values_agree(first, second) is agree


def test_figure_attributes_prefill_only_what_the_text_states():
    assert figure_attributes("More than 2,200 people") == {
        "value": 2200,
        "qualifier": "more_than",
        "value_low": 2201,
    }
    assert figure_attributes("another 16 dead") == {
        "value": 16,
        "qualifier": "exact",
        "value_low": 16,
        "value_best": 16,
        "value_high": 16,
        "additive": True,
    }
    assert figure_attributes("dozens") == {"qualifier": "vague"}
    assert figure_attributes("A White Helmets rescuer") == {}


def test_quantity_mentions_give_offsets_into_the_original_text():
    text = "Another ٩٠٬٠٠٠ people fled; between 30 and 40 died, dozens were hurt and 100+ left."
    mentions = quantity_mentions(text)
    assert [text[m.start : m.end] for m in mentions] == [
        "٩٠٬٠٠٠",
        "between 30 and 40",
        "dozens",
        "100+",
    ]
    assert mentions[0].quantity == Quantity(90_000, "exact", additive=True)
    assert mentions[1].quantity == Quantity(30, "range", 40)


def test_a_lone_one_is_not_a_number_but_one_hundred_is():
    assert quantity_mentions("One of them said so") == []
    assert parse_quantity("one hundred people").value == 100
