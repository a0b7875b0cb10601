"""Read the number and its qualifier out of a casualty figure, and derive low/best/high.

"at least 16 civilians" → 16, at_least; "More than 2,200 people" → 2200, more_than;
"Three women" → 3, exact; "6 million" → 6000000; "dozens" → no value, vague.
Eastern-Arabic and Persian digits count as digits. The annotator confirms or corrects.
"""

import re
from dataclasses import dataclass

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

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
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_MAX_DIGITS = 30
_VAGUE = re.compile(r"\b(dozens|scores|hundreds|thousands|several|many|numerous|some)\b")
_PROPORTION = re.compile(r"\b(half|third|quarter|most|majority)\b|%|\bper ?cent\b")

# Longest phrases first: "more than" must win over "than".
_QUALIFIERS = (
    ("at_least", r"at least|no fewer than|no less than|a minimum of"),
    ("more_than", r"more than|over|upwards of|in excess of"),
    ("at_most", r"at most|up to|no more than|a maximum of"),
    ("almost", r"almost|nearly|close to|just under"),
    ("approx", r"about|around|approximately|some|roughly|an estimated|estimated|circa|~"),
)
_NUMBER = r"\d[\d,.]*(?:\s+(?:million|thousand|hundred))?"
_RANGE = re.compile(rf"({_NUMBER})\s*(?:-|–|to|and)\s*({_NUMBER})")


@dataclass(frozen=True)
class Quantity:
    value: int | None
    qualifier: str | None
    upper: int | None = None  # the second number of a range


def parse_quantity(phrase: str) -> Quantity:
    text = phrase.translate(_DIGITS).lower().strip()
    if _PROPORTION.search(text):
        return Quantity(None, "proportion")
    ranged = _RANGE.search(text)
    if ranged:
        low, high = _number(ranged.group(1)), _number(ranged.group(2))
        if low is not None and high is not None and low < high:
            return Quantity(low, "range", high)
    value = _first_number(text)
    if value is None:
        return Quantity(None, "vague" if _VAGUE.search(text) else None)
    for qualifier, pattern in _QUALIFIERS:
        if re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text):
            return Quantity(value, qualifier)
    return Quantity(value, "exact")


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


def _first_number(text: str) -> int | None:
    digits = re.search(_NUMBER, text)
    if digits:
        return _number(digits.group())
    return _words_to_number(text)


def _number(token: str) -> int | None:
    match = re.fullmatch(r"(\d[\d,.]*)(?:\s+(million|thousand|hundred))?", token.strip())
    if not match:
        return None
    digits, scale = match.groups()
    if len(digits) > _MAX_DIGITS:  # no count of people is this long; int() would refuse it
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
        digits = digits.replace(",", "")
    if scale:
        try:
            return round(float(digits.replace(",", "")) * _SCALES[scale])
        except ValueError:
            return None
    return int(digits) if digits.isdigit() else None


def _words_to_number(text: str) -> int | None:
    """The first run of English number words: "three", "twenty-five", "a hundred"."""
    words = re.findall(r"[a-z]+", text.replace("-", " "))
    total = current = 0
    seen = False
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in ("a", "an") and not seen and following in _SCALES:
            current, seen = 1, True
        elif word in _UNITS:
            current, seen = current + _UNITS[word], True
        elif word in _TENS:
            current, seen = current + _TENS[word], True
        elif word in _SCALES and seen:
            current *= _SCALES[word]
            if _SCALES[word] >= 1_000:
                total, current = total + current, 0
        elif word == "and" and seen:
            continue
        elif seen:
            break
    return total + current if seen else None
