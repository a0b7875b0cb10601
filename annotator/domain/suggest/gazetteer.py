"""Locations and actors suggested from a gazetteer: a project's names, their aliases, labels.

Matching is on whole words; an acronym ("UN", "IS", "HTS") matches only as written, other
names also with their first letter in the other case ("white Helmets", "Pro-Assad"), and
nothing looser, so that "Civil Defence" does not turn up in "civil defense centers". Both
apostrophes match each other (the seeds mix ’ and '). The longest match wins and matches
never overlap. A LOCATION is the name only: "Idlib Province" gives "Idlib", and the kind of
place ("Province", "the town of") sets its feature_type (DOMAIN.md).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .suggestion import Suggestion

LABELS = ("LOCATION", "ACTOR")

_APOSTROPHES = str.maketrans("’‘ʼ`", "''''")
_PLACE_KINDS = {
    "province": "governorate",
    "governorate": "governorate",
    "city": "populated_place",
    "town": "populated_place",
    "village": "populated_place",
    "district": "district",
    "region": "region",
    "countryside": "region",
    "highway": "route",
    "road": "route",
    "crossing": "border",
}
_KIND = "|".join(_PLACE_KINDS)
_KIND_AFTER = re.compile(rf"\s+({_KIND})\b", re.IGNORECASE)
_KIND_BEFORE = re.compile(rf"\b({_KIND}) of\s+$", re.IGNORECASE)
_TRAILING_KIND = re.compile(rf"\s+(?:{_KIND})$", re.IGNORECASE)


@dataclass(frozen=True)
class GazetteerEntry:
    """A place or party: its name, label (LOCATION or ACTOR), other ways of writing it, and
    the attributes its suggestions pre-fill (feature_type, actor_type)."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        if self.label not in LABELS:
            raise ValueError(f"a gazetteer entry is a LOCATION or an ACTOR, not {self.label!r}")
        if not self.name.strip():
            raise ValueError("a gazetteer entry needs a name")


def gazetteer_entry(entry: GazetteerEntry | Sequence[Any]) -> GazetteerEntry:
    """An entry from plain values: (name, label), (name, label, aliases) or (name, label,
    aliases, attributes), as a service reads them from the database."""
    if isinstance(entry, GazetteerEntry):
        return entry
    name, label, *rest = entry
    aliases = tuple(rest[0]) if rest else ()
    attributes = dict(rest[1]) if len(rest) > 1 else {}
    return GazetteerEntry(name, label, aliases, attributes)


def suggest_from_gazetteer(
    text: str, entries: Iterable[GazetteerEntry | Sequence[Any]]
) -> list[Suggestion]:
    """The gazetteer's names in `text`, longest first, without overlaps, in text order."""
    normalised = text.translate(_APOSTROPHES)
    found = []
    for entry in map(gazetteer_entry, entries):
        for written in {entry.name, *entry.aliases}:
            pattern = _pattern(written)
            if pattern is None:
                continue
            for match in pattern.finditer(normalised):
                end = match.start() + len(_TRAILING_KIND.sub("", match.group()))
                found.append((match.start(), end, entry, written))
    taken: list[tuple[int, int]] = []
    suggestions = []
    for start, end, entry, written in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        taken.append((start, end))
        suggestions.append(_suggestion(normalised, start, end, entry, written))
    return sorted(suggestions, key=lambda suggestion: suggestion.start)


def _pattern(written: str) -> re.Pattern[str] | None:
    words = written.translate(_APOSTROPHES).split()
    if not words:
        return None
    body = r"\s+".join(map(re.escape, words))
    first = words[0][0]
    if first.isalpha() and not _is_acronym(written):
        body = f"[{first.lower()}{first.upper()}]{body[1:]}"
    return re.compile(rf"(?<!\w){body}(?!\w)")


def _is_acronym(written: str) -> bool:
    letters = [character for character in written if character.isalpha()]
    return len(letters) >= 1 and not any(character.islower() for character in letters)


def _suggestion(text: str, start: int, end: int, entry: GazetteerEntry, written: str) -> Suggestion:
    attributes = dict(entry.attributes)
    if entry.label == "LOCATION":
        kind = _KIND_AFTER.match(text, end) or _KIND_BEFORE.search(text[max(0, start - 20) : start])
        if kind:
            attributes["feature_type"] = _PLACE_KINDS[kind.group(1).lower()]
    shown = entry.name if written == entry.name else f"{written} ({entry.name})"
    return Suggestion(start, end, entry.label, attributes, f"gazetteer: {shown}")
