"""The label scheme: labels, their attribute schemas, and the default casualty scheme.

An attribute schema is stored as JSON on each label; `parse_attribute_schema` is the one place
that decides whether such JSON is valid, so the import of a scheme, the admin and the services
all refuse the same mistakes with the same messages.
"""

import re
from dataclasses import dataclass
from typing import Any

ATTRIBUTE_KINDS = ("enum", "int", "bool", "text")
# \Z, not $: "$" also matches before a final newline, which let "KEY\n" through.
LABEL_KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,49}\Z")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}\Z")
ATTRIBUTE_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}\Z")


class SchemaError(ValueError):
    """An attribute schema that cannot be used; the message names the attribute and field."""


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    kind: str
    values: tuple[str, ...] = ()
    required: bool = False
    multiple: bool = False  # an enum of which several values may be chosen
    derived: bool = False  # computed from other attributes, never typed by an annotator
    default: Any = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.values:
            data["values"] = list(self.values)
        for flag in ("required", "multiple", "derived"):
            if getattr(self, flag):
                data[flag] = True
        if self.default is not None:
            data["default"] = self.default
        return data


@dataclass(frozen=True)
class LabelSpec:
    key: str
    name: str
    shortcut: str
    colour: str
    description: str
    attributes: tuple[AttributeSpec, ...] = ()

    def attribute_schema_json(self) -> list[dict[str, Any]]:
        return [spec.to_json() for spec in self.attributes]


def parse_attribute_schema(data: Any) -> tuple[AttributeSpec, ...]:
    """Validate attribute-schema JSON and return its specs, or raise SchemaError."""
    if not isinstance(data, list):
        raise SchemaError("the attribute schema must be a JSON list of attributes")
    specs: list[AttributeSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        spec = _parse_attribute(index, item)
        if spec.name in seen:
            raise SchemaError(f"attribute '{spec.name}' is defined twice")
        seen.add(spec.name)
        specs.append(spec)
    return tuple(specs)


def _parse_attribute(index: int, item: Any) -> AttributeSpec:
    where = f"attribute {index + 1}"
    if not isinstance(item, dict):
        raise SchemaError(f"{where}: must be a JSON object")
    unknown = sorted(
        set(item) - {"name", "kind", "values", "required", "multiple", "derived", "default"}
    )
    if unknown:
        raise SchemaError(f"{where}: unknown field '{unknown[0]}'")
    name = item.get("name")
    if not isinstance(name, str) or not ATTRIBUTE_NAME_PATTERN.fullmatch(name):
        raise SchemaError(f"{where}: 'name' must be lower_snake_case (got {name!r})")
    where = f"attribute '{name}'"
    kind = item.get("kind")
    if kind not in ATTRIBUTE_KINDS:
        raise SchemaError(f"{where}: 'kind' must be one of {', '.join(ATTRIBUTE_KINDS)}")
    values = item.get("values", [])
    if kind == "enum":
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v for v in values)
        ):
            raise SchemaError(f"{where}: an enum needs 'values', a list of non-empty strings")
        if len(set(values)) != len(values):
            raise SchemaError(f"{where}: 'values' has a value twice")
    elif values:
        raise SchemaError(f"{where}: only an enum has 'values'")
    flags = {}
    for flag in ("required", "multiple", "derived"):
        flags[flag] = item.get(flag, False)
        if not isinstance(flags[flag], bool):
            raise SchemaError(f"{where}: '{flag}' must be true or false")
    if flags["multiple"] and kind != "enum":
        raise SchemaError(f"{where}: only an enum can be 'multiple'")
    if flags["derived"] and flags["required"]:
        raise SchemaError(f"{where}: a derived attribute cannot be required")
    default = item.get("default")
    if default is not None and kind == "enum" and default not in values:
        raise SchemaError(f"{where}: 'default' must be one of its values")
    return AttributeSpec(name=name, kind=kind, values=tuple(values), default=default, **flags)


def _enum(name: str, *values: str, **options: Any) -> AttributeSpec:
    return AttributeSpec(name=name, kind="enum", values=values, **options)


_FIGURE_ATTRIBUTES = (
    _enum(
        "outcome",
        "killed",
        "injured",
        "killed_or_injured",
        "displaced",
        "missing",
        "detained_or_abducted",
        "other",
        required=True,
    ),
    _enum(
        "qualifier",
        "exact",
        "at_least",
        "more_than",
        "approx",
        "almost",
        "at_most",
        "range",
        "vague",
        "proportion",
    ),
    AttributeSpec(name="value", kind="int"),
    AttributeSpec(name="value_low", kind="int", derived=True),
    AttributeSpec(name="value_best", kind="int", derived=True),
    AttributeSpec(name="value_high", kind="int", derived=True),
    _enum("victim_status", "civilian", "combatant", "mixed", "unknown", default="unknown"),
    _enum(
        "victim_subgroup",
        "children",
        "women",
        "men",
        "elderly",
        "civil_defence_worker",
        "medical_worker",
        "journalist",
        "aid_worker",
        multiple=True,
    ),
    _enum("time_scope", "event", "period_total", "conflict_total", "unclear"),
    AttributeSpec(name="additive", kind="bool"),
)

_LOCATION_ATTRIBUTES = (
    _enum(
        "feature_type",
        "country",
        "governorate",
        "district",
        "populated_place",
        "region",
        "route",
        "facility",
        "border",
        "other",
    ),
    _enum(
        "role", "event_location", "event_area", "reference_point", "origin", "destination", "other"
    ),
)

_ACTOR_ATTRIBUTES = (
    _enum(
        "actor_type",
        "syrian_government",
        "pro_government_militia",
        "pro_government_alliance",
        "foreign_state",
        "rebel",
        "kurdish_sdf",
        "international_org",
        "civil_defence_medical",
        "monitor_ngo",
        "media",
        "local_source",
        "unidentified",
        "other",
    ),
    _enum("role", "perpetrator", "target", "source", "other"),
)

DEFAULT_LABELS = (
    LabelSpec(
        key="CASUALTY_FIGURE",
        name="Casualty figure",
        shortcut="c",
        colour="#c0392b",
        description=(
            "A stated quantity of people killed, injured, displaced, missing or detained: "
            "the counted noun phrase, e.g. “at least 16 civilians”."
        ),
        attributes=_FIGURE_ATTRIBUTES,
    ),
    LabelSpec(
        key="LOCATION",
        name="Location",
        shortcut="l",
        colour="#1f6fb2",
        description="A named place, the name only: “Idlib Province” → “Idlib”.",
        attributes=_LOCATION_ATTRIBUTES,
    ),
    LabelSpec(
        key="ACTOR",
        name="Actor",
        shortcut="a",
        colour="#7d3c98",
        description=(
            "A party acting in the conflict or reporting it, the shortest identifying phrase: "
            "“White Helmets”, “Assad regime”, “Russia”."
        ),
        attributes=_ACTOR_ATTRIBUTES,
    ),
)
