from annotator.domain.attributes import clean_attributes, initial_attributes, missing_required
from annotator.domain.labels import DEFAULT_LABELS

FIGURE = DEFAULT_LABELS[0].attributes
LOCATION = DEFAULT_LABELS[1].attributes


def test_initial_attributes_read_the_span_and_derive_bounds():
    assert initial_attributes(FIGURE, "at least 16 civilians") == {
        "victim_status": "unknown",
        "value": 16,
        "qualifier": "at_least",
        "value_low": 16,
    }
    assert initial_attributes(FIGURE, "between 30 and 40 people")["value_high"] == 40


def test_initial_attributes_for_labels_without_numbers_are_defaults_only():
    assert initial_attributes(LOCATION, "Idlib") == {}


def test_clean_types_values_and_rederives_bounds():
    cleaned = clean_attributes(
        FIGURE,
        {
            "outcome": "killed",
            "qualifier": "almost",
            "value": "1,200",
            "victim_subgroup": ["women", "children"],
            "additive": "no",
        },
        "almost 1,200",
    )
    assert cleaned.errors == {}
    assert cleaned.values == {
        "outcome": "killed",
        "qualifier": "almost",
        "value": 1200,
        "victim_subgroup": ["children", "women"],
        "additive": False,
        "value_best": 1200,
        "value_high": 1200,
    }


def test_clean_reports_each_bad_attribute():
    cleaned = clean_attributes(
        FIGURE,
        {
            "outcome": "exploded",
            "value": "many",
            "value_low": "3",
            "colour": "red",
            "victim_subgroup": ["pets"],
        },
        "many",
    )
    assert cleaned.errors == {
        "outcome": "'exploded' is not one of killed, injured, killed_or_injured, displaced, "
        "missing, detained_or_abducted, other",
        "value": "'many' is not a whole number",
        "value_low": "'value_low' is computed, not entered",
        "colour": "unknown attribute 'colour'",
        "victim_subgroup": "'pets' is not one of children, women, men, elderly, "
        "civil_defence_worker, medical_worker, journalist, aid_worker",
    }


def test_empty_values_are_dropped():
    cleaned = clean_attributes(FIGURE, {"outcome": "", "value": "", "victim_subgroup": []}, "x")
    assert cleaned.values == {}


def test_missing_required():
    assert missing_required(FIGURE, {"value": 3}) == ["outcome"]
    assert missing_required(FIGURE, {"outcome": "killed"}) == []
    assert missing_required(LOCATION, {}) == []


def test_without_derived_drops_only_what_the_schema_computes():
    from annotator.domain.attributes import without_derived
    from annotator.domain.labels import AttributeSpec

    specs = (AttributeSpec("value", "int"), AttributeSpec("value_best", "int", derived=True))
    values = {"value": 3, "value_best": 3, "unknown": 1}
    assert without_derived(specs, values) == {"value": 3, "unknown": 1}


def test_carried_over_keeps_the_entered_attributes_the_label_has():
    from annotator.domain.attributes import carried_over
    from annotator.domain.labels import AttributeSpec

    specs = (AttributeSpec("role", "text"), AttributeSpec("value_best", "int", derived=True))
    values = {"role": "origin", "value_best": 3, "outcome": "killed"}
    assert carried_over(specs, values) == {"role": "origin"}
