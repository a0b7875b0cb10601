import pytest

from annotator.domain.quantities import Quantity, derive_bounds, parse_quantity


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
