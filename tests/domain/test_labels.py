import pytest

from annotator.domain.labels import (
    COLOUR_PATTERN,
    DEFAULT_LABELS,
    LABEL_KEY_PATTERN,
    SchemaError,
    parse_attribute_schema,
)


def test_default_scheme_is_the_casualty_scheme():
    assert [(label.key, label.shortcut) for label in DEFAULT_LABELS] == [
        ("CASUALTY_FIGURE", "c"),
        ("LOCATION", "l"),
        ("ACTOR", "a"),
    ]


@pytest.mark.parametrize("label", DEFAULT_LABELS, ids=lambda label: label.key)
def test_default_labels_are_valid_and_round_trip_through_json(label):
    assert LABEL_KEY_PATTERN.match(label.key)
    assert COLOUR_PATTERN.match(label.colour)
    assert parse_attribute_schema(label.attribute_schema_json()) == label.attributes


def test_casualty_figure_attributes_follow_the_domain():
    figure = {spec.name: spec for spec in DEFAULT_LABELS[0].attributes}
    assert figure["outcome"].required
    assert "detained_or_abducted" in figure["outcome"].values
    assert figure["victim_subgroup"].multiple
    assert figure["victim_status"].default == "unknown"
    assert all(figure[name].derived for name in ("value_low", "value_best", "value_high"))


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"name": "x"}, "must be a JSON list"),
        (["outcome"], "attribute 1: must be a JSON object"),
        ([{"name": "Bad Name", "kind": "text"}], "lower_snake_case"),
        ([{"name": "name\n", "kind": "text"}], "lower_snake_case"),
        ([{"name": 'x" onclick="alert(1)', "kind": "text"}], "lower_snake_case"),
        ([{"name": "x", "kind": "colour"}], "'kind' must be one of"),
        ([{"name": "x", "kind": "enum"}], "an enum needs 'values'"),
        ([{"name": "x", "kind": "enum", "values": ["a", "a"]}], "has a value twice"),
        ([{"name": "x", "kind": "int", "values": ["a"]}], "only an enum has 'values'"),
        ([{"name": "x", "kind": "int", "multiple": True}], "only an enum can be 'multiple'"),
        ([{"name": "x", "kind": "int", "required": "yes"}], "'required' must be true or false"),
        ([{"name": "x", "kind": "int", "derived": True, "required": True}], "cannot be required"),
        ([{"name": "x", "kind": "enum", "values": ["a"], "default": "b"}], "'default' must be"),
        ([{"name": "x", "kind": "int", "colour": "red"}], "unknown field 'colour'"),
        ([{"name": "x", "kind": "int"}, {"name": "x", "kind": "text"}], "defined twice"),
    ],
)
def test_bad_schemas_are_refused_with_a_message_naming_the_problem(schema, message):
    with pytest.raises(SchemaError, match=message):
        parse_attribute_schema(schema)
