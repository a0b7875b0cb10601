"""Span attributes against a label's schema: clean submitted values, flag what is missing.

Submitted values come from an HTML form or JSON: strings, lists of strings, or already typed
values. `clean_attributes` turns them into stored JSON values or an error per attribute, so
the side panel can show each problem next to its field.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .documents import unstorable_character
from .labels import AttributeSpec
from .numbers import derive_bounds, parse_quantity

_TRUE = {"yes", "true", "on", "1"}
_FALSE = {"no", "false", "off", "0"}


@dataclass(frozen=True)
class CleanedAttributes:
    values: dict[str, Any]
    errors: dict[str, str]


def clean_attributes(
    specs: Sequence[AttributeSpec], submitted: Mapping[str, Any], span_text: str
) -> CleanedAttributes:
    """Typed values for the schema's attributes; unknown names and derived ones are errors."""
    by_name = {spec.name: spec for spec in specs}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in submitted:
        if name not in by_name:
            errors[name] = f"unknown attribute '{name}'"
        elif by_name[name].derived:
            errors[name] = f"'{name}' is computed, not entered"
    for spec in specs:
        if spec.derived or spec.name not in submitted:
            continue
        try:
            value = _clean_one(spec, submitted[spec.name])
        except ValueError as error:
            errors[spec.name] = str(error)
            continue
        if value is not None:
            values[spec.name] = value
    return CleanedAttributes(with_derived(specs, values, span_text), errors)


_BOUNDS = ("value_low", "value_best", "value_high")


def without_derived(specs: Sequence[AttributeSpec], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values without those the schema computes: what to clean again, or to give back."""
    derived = {spec.name for spec in specs if spec.derived}
    return {name: value for name, value in values.items() if name not in derived}


def carried_over(specs: Sequence[AttributeSpec], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values a span keeps when it takes a label with these specs: the ones the label has
    and does not compute. Clean them again for the span's text."""
    entered = {spec.name for spec in specs if not spec.derived}
    return {name: value for name, value in values.items() if name in entered}


def with_derived(
    specs: Sequence[AttributeSpec], values: dict[str, Any], span_text: str
) -> dict[str, Any]:
    """Add value_low/value_best/value_high where the schema has them: from the qualifier and
    value, and for a range from the span's second number. They are never typed."""
    if not set(_BOUNDS) <= {spec.name for spec in specs}:
        return values
    result = {name: value for name, value in values.items() if name not in _BOUNDS}
    qualifier = values.get("qualifier")
    upper = parse_quantity(span_text).upper if qualifier == "range" else None
    bounds = derive_bounds(qualifier, values.get("value"), upper)
    for name, bound in zip(_BOUNDS, bounds, strict=True):
        if bound is not None:
            result[name] = bound
    return result


def missing_required(specs: Sequence[AttributeSpec], values: Mapping[str, Any]) -> list[str]:
    return [
        spec.name for spec in specs if spec.required and values.get(spec.name) in (None, "", [])
    ]


def initial_attributes(specs: Sequence[AttributeSpec], span_text: str) -> dict[str, Any]:
    """Defaults, plus value and qualifier read from the span when the schema has them."""
    names = {spec.name for spec in specs}
    values = {spec.name: spec.default for spec in specs if spec.default is not None}
    if {"value", "qualifier"} <= names:
        quantity = parse_quantity(span_text)
        if quantity.value is not None:
            values["value"] = quantity.value
        if quantity.qualifier is not None:
            values["qualifier"] = quantity.qualifier
    return with_derived(specs, values, span_text)


def _clean_one(spec: AttributeSpec, raw: Any) -> Any:
    if spec.kind == "enum" and spec.multiple:
        items = raw if isinstance(raw, list) else [raw]
        items = [item for item in items if item not in (None, "")]
        bad = [item for item in items if item not in spec.values]
        if bad:
            raise ValueError(f"'{bad[0]}' is not one of {', '.join(spec.values)}")
        return [value for value in spec.values if value in items] or None
    if isinstance(raw, list):
        raise ValueError("takes one value")
    if raw is None or raw == "":
        return None
    if spec.kind == "enum":
        if raw not in spec.values:
            raise ValueError(f"'{raw}' is not one of {', '.join(spec.values)}")
        return raw
    if spec.kind == "int":
        if isinstance(raw, bool):
            raise ValueError("must be a whole number")
        if isinstance(raw, int):
            return raw
        text = str(raw).strip().replace(",", "")
        if not text.lstrip("-").isdigit():
            raise ValueError(f"'{raw}' is not a whole number")
        return int(text)
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        lowered = str(raw).strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("must be yes or no")
    text = str(raw)
    if len(text) > 1000:
        raise ValueError("is longer than 1000 characters")
    bad = unstorable_character(text)
    if bad:
        raise ValueError(bad.reason)
    return text
