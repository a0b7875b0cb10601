"""Numbers in casualty reports: the value and qualifier of a figure, and low/best/high.

"at least 16 civilians" → 16, at_least; "More than 2,200 people" → 2200, more_than;
"Three women" → 3, exact; "one hundred and fifty" → 150; "1.5 million" → 1500000;
"100+" → 100, at_least; "between 30 and 40" → 30 to 40, range; "another 16" → 16, additive;
"dozens" → no value, vague. Eastern-Arabic and Persian digits count as digits. The annotator
confirms or corrects what is read here.

`quantity_mentions` finds the quantities of a running text with their offsets, so the
suggestions and the attribute pre-fill read numbers by the same rules.
"""

import re
from dataclasses import dataclass
from typing import Any

# One character for one: offsets into the translated text are offsets into the original.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORDS = _UNITS.keys() | _TENS.keys() | _SCALES.keys() | {"dozen"}
_MAX_DIGITS = 30

_SCALE = r"(?:\s+(?:hundred|thousand|million|billion))"
# Thousands separated by commas or by (no-break) spaces, or plain digits with a decimal part.
_DIGIT_NUMBER = (
    r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:\.\d+)?)"
    rf"(?![\d]){_SCALE}*(?!\w)"
)
_DIGITS_RE = re.compile(_DIGIT_NUMBER, re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z]+")
_VAGUE_RE = re.compile(
    r"(?<![\w-])(?:(?:tens|hundreds) of (?:thousands|millions)|dozens|scores(?= of\b)|hundreds"
    r"|thousands|millions|many|several|numerous|countless)(?![\w-])",
    re.IGNORECASE,
)
# A vague word alone says there is no number; "some" is vague only with no number after it.
_VAGUE_IN_PHRASE = re.compile(
    r"\b(dozens|scores|hundreds|thousands|several|many|numerous|some)\b", re.IGNORECASE
)
_PROPORTION = re.compile(
    r"\b(half|third|quarter|(?<!at )most|majority)\b|%|\bper ?cent\b", re.IGNORECASE
)

# Longest phrases first: "no more than" must win over "more than".
_QUALIFIERS = (
    (
        "at_most",
        r"at most|up to|no more than|not more than|a maximum of|as many as|less than"
        r"|fewer than|under",
    ),
    ("at_least", r"at least|no fewer than|no less than|not less than|a minimum of"),
    ("more_than", r"more than|over|upwards of|in excess of"),
    ("almost", r"almost|nearly|close to|just under"),
    ("approx", r"about|around|approximately|some|roughly|an estimated|estimated|circa|~"),
)
_QUALIFIER_BEFORE = re.compile(
    r"(?<!\w)(?P<words>" + "|".join(pattern for _, pattern in _QUALIFIERS) + r")\s*$",
    re.IGNORECASE,
)
_ADDITIVE_BEFORE = re.compile(r"(?<!\w)(?:another|a further|an additional)\s+$", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"(?<!\w)between\s+$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to)\s*", re.IGNORECASE)
_AND_JOIN = re.compile(r"\s+and\s+", re.IGNORECASE)
_LOOK_BACK = 30


@dataclass(frozen=True)
class Quantity:
    value: int | None
    qualifier: str | None
    upper: int | None = None  # the second number of a range
    additive: bool = False  # "another 16": an increment to a figure given earlier

    @property
    def bounds(self) -> tuple[int | None, int | None, int | None]:
        return derive_bounds(self.qualifier, self.value, self.upper)


@dataclass(frozen=True)
class QuantityMention:
    """A quantity in a running text: [start, end) covers its qualifier and number(s), not
    "another", which is a determiner of the phrase rather than part of the count."""

    start: int
    end: int
    quantity: Quantity


def parse_quantity(phrase: str) -> Quantity:
    """The first quantity of a span's text, with its qualifier; proportions and vague
    quantifiers have no value."""
    text = phrase.translate(_DIGITS)
    if _PROPORTION.search(text):
        return Quantity(None, "proportion")
    for mention in quantity_mentions(text):
        if mention.quantity.value is not None:
            return mention.quantity
    if _VAGUE_IN_PHRASE.search(text):
        return Quantity(None, "vague")
    return Quantity(None, None)


def parse_number(text: str) -> int | None:
    """The whole text read as one number ("2,200", "1 200", "two thousand", "6 million",
    "١٦"), or None when it is anything else."""
    stripped = text.translate(_DIGITS).strip()
    mentions = [m for m in _numbers(stripped) if m[0] == 0 and m[1] == len(stripped)]
    return mentions[0][2] if mentions else None


def values_agree(first: Any, second: Any) -> bool:
    """Whether two entered values are the same: as numbers when both read as numbers
    ("2,200" and 2200 agree), otherwise as trimmed text; two empty values agree."""
    empty = [
        value is None or (isinstance(value, str) and not value.strip()) for value in (first, second)
    ]
    if any(empty):
        return all(empty)
    numbers = [_as_number(value) for value in (first, second)]
    if None not in numbers:
        return numbers[0] == numbers[1]
    return str(first).strip().casefold() == str(second).strip().casefold()


def figure_attributes(phrase: str) -> dict[str, Any]:
    """The attributes a figure's text gives: value, qualifier, value_low/best/high and
    additive, only those it states."""
    quantity = parse_quantity(phrase)
    attributes: dict[str, Any] = {}
    if quantity.value is not None:
        attributes["value"] = quantity.value
    if quantity.qualifier is not None:
        attributes["qualifier"] = quantity.qualifier
    names = ("value_low", "value_best", "value_high")
    for name, bound in zip(names, quantity.bounds, strict=True):
        if bound is not None:
            attributes[name] = bound
    if quantity.additive:
        attributes["additive"] = True
    return attributes


def derive_bounds(
    qualifier: str | None, value: int | None, upper: int | None = None
) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) from a qualifier and value: at_least 59 → (59, None, None);
    almost 1,200 → (None, 1200, 1200); about 700 → (None, 700, None)."""
    if value is None:
        return None, None, None
    match qualifier:
        case "exact":
            return value, value, value
        case "at_least":
            return value, None, None
        case "more_than":
            return value + 1, None, None
        case "at_most":
            return None, None, value
        case "almost":
            return None, value, value
        case "approx":
            return None, value, None
        case "range":
            return value, None, upper
    return None, None, None


def quantity_mentions(text: str) -> list[QuantityMention]:
    """Every quantity of `text` in order: numbers in digits or words with the qualifier
    before them, "+" after them, ranges, and vague quantifiers ("dozens", "many")."""
    translated = text.translate(_DIGITS)
    numbers = _numbers(translated)
    mentions = []
    index = 0
    while index < len(numbers):
        start, end, value = numbers[index]
        before = translated[max(0, start - _LOOK_BACK) : start]
        upper = None
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        if following and value is not None and following[2] is not None:
            gap = translated[end : following[0]]
            between = _BETWEEN_BEFORE.search(before)
            joined = _RANGE_JOIN.fullmatch(gap) or (between and _AND_JOIN.fullmatch(gap))
            if joined and value < following[2]:
                upper, end = following[2], following[1]
                if between:
                    start -= len(between.group())
                index += 1
        index += 1
        if value is None:
            continue
        qualifier = "range" if upper is not None else "exact"
        words_before = translated[max(0, start - _LOOK_BACK) : start]
        said = _QUALIFIER_BEFORE.search(words_before) if upper is None else None
        if said:
            qualifier = _qualifier_named(said.group("words"))
            start -= len(said.group())
        elif upper is None and translated[end : end + 1] == "+":
            qualifier, end = "at_least", end + 1
        additive = bool(_ADDITIVE_BEFORE.search(translated[max(0, start - _LOOK_BACK) : start]))
        mentions.append(QuantityMention(start, end, Quantity(value, qualifier, upper, additive)))
    taken = [(m.start, m.end) for m in mentions]
    for vague in _VAGUE_RE.finditer(translated):
        if not any(s < vague.end() and vague.start() < e for s, e in taken):
            mentions.append(QuantityMention(vague.start(), vague.end(), Quantity(None, "vague")))
    return sorted(mentions, key=lambda mention: mention.start)


def _qualifier_named(words: str) -> str:
    lowered = " ".join(words.lower().split())
    for qualifier, pattern in _QUALIFIERS:
        if re.fullmatch(pattern, lowered):
            return qualifier
    raise AssertionError(f"{words!r} matched no qualifier")


def _numbers(text: str) -> list[tuple[int, int, int | None]]:
    """(start, end, value) of each number, in order. A decimal with no scale word
    ("2.5") has no value: no count of people has a fraction."""
    found = [
        (match.start(), match.end(), _digit_value(match.group()))
        for match in _DIGITS_RE.finditer(text)
    ]
    found += _word_numbers(text)
    return sorted(found)


def _digit_value(token: str) -> int | None:
    parts = re.fullmatch(r"(?P<digits>[\d,. \u00a0\u202f]+?)(?P<scales>(?:\s+[A-Za-z]+)*)", token)
    assert parts, token
    digits = re.sub(r"[,\s]", "", parts.group("digits"))
    if len(digits) > _MAX_DIGITS:  # no count of people is this long; int() would refuse it
        return None
    multiplier = 1
    for scale in parts.group("scales").lower().split():
        multiplier *= _SCALES[scale]
    if "." in digits:
        return round(float(digits) * multiplier) if multiplier > 1 else None
    return int(digits) * multiplier


def _word_numbers(text: str) -> list[tuple[int, int, int | None]]:
    """Runs of English number words: "three", "twenty-five", "one hundred and fifty",
    "a dozen", "two thousand". A lone "one" is left out: it is far more often a pronoun
    ("one of them") than a count."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _WORD_RE.finditer(text)]
    runs = []
    index = 0
    while index < len(tokens):
        run = _word_run(text, tokens, index)
        if not run:
            index += 1
            continue
        last = index + len(run) - 1
        words = [word for _, _, word in run]
        if words != ["one"]:
            runs.append((run[0][0], run[-1][1], _words_value(words)))
        index = last + 1
    return runs


def _word_run(text: str, tokens: list, index: int) -> list:
    """The number words starting at tokens[index], joined by a space, a hyphen or "and"
    (after a scale word): [] when tokens[index] starts none."""
    first = tokens[index]
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    starts_with_article = first[2] in ("a", "an") and nxt and nxt[2] in (*_SCALES, "dozen")
    if first[2] not in _NUMBER_WORDS - _SCALES.keys() and not starts_with_article:
        return []
    if first[0] > 0 and text[first[0] - 1] == "-":  # "pre-war", not a number after a hyphen
        return []
    run = [first]
    position = index + 1
    while position < len(tokens):
        previous, token = run[-1], tokens[position]
        gap = text[previous[1] : token[0]]
        joined = gap == "-" or (gap.isspace() and "\n" not in gap)
        and_after_scale = (
            token[2] == "and"
            and previous[2] in _SCALES
            and position + 1 < len(tokens)
            and tokens[position + 1][2] in _UNITS.keys() | _TENS.keys()
        )
        if not (joined and token[2] in _NUMBER_WORDS) and not and_after_scale:
            break
        run.append(token)
        position += 1
    return run


def _words_value(words: list[str]) -> int:
    total = current = 0
    for word in words:
        if word in ("a", "an"):
            current = 1
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1_000:
                total, current = total + current, 0
    return total + current


def _as_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    return parse_number(str(value))
