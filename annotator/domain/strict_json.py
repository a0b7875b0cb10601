"""JSON as the standard defines it, read defensively: every importer parses with this.

Python's json module accepts what no other tool writes and what our stores cannot keep: NaN
and Infinity (also as 1e999), integers thousands of digits long (slow to convert, and raising
past 4,300 digits), the same key twice in one object (the last silently wins), and nesting so
deep that the parser, or any recursive walk after it, runs out of stack. Each is refused here
with a reason a user can act on, raised as ValueError like any other JSON syntax error.
"""

import json
import math
from typing import Any

MAX_DEPTH = 64  # of arrays and objects inside one another
MAX_INTEGER_DIGITS = 20  # enough for any 64-bit integer; a longer one is kept as a string


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _integer(digits: str) -> int:
    count = len(digits.lstrip("-"))
    if count > MAX_INTEGER_DIGITS:
        raise ValueError(
            f"a number with {count:,} digits; numbers may have at most {MAX_INTEGER_DIGITS} "
            "(write a longer one as a string)"
        )
    return int(digits)


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        shown = literal if len(literal) <= 40 else literal[:37] + "..."
        raise ValueError(f"the number {shown} is too large to store")
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) < len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key '{_shown(key)}' appears twice in one object")
            seen.add(key)
    return value


def _shown(key: str) -> str:
    printable = key.encode("utf-8", "backslashreplace").decode("utf-8")
    return printable if len(printable) <= 60 else printable[:57] + "..."


_DECODER = json.JSONDecoder(
    parse_constant=_refuse_constant,
    parse_int=_integer,
    parse_float=_float,
    object_pairs_hook=_object,
)
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


def strict_loads(text: str) -> Any:
    """The one JSON value in `text`; ValueError naming what is wrong."""
    value, end = strict_raw_decode(text, 0)
    if text[end:].strip():
        raise ValueError(f"Extra data after the value: line 1 column {end + 1} (char {end})")
    return value


def strict_raw_decode(text: str, at: int) -> tuple[Any, int]:
    """(value, end) of the JSON value starting at `at`, as JSONDecoder.raw_decode."""
    try:
        value, end = _DECODER.raw_decode(text, at)
    except RecursionError:
        raise ValueError(_TOO_DEEP) from None
    # Fewer brackets than the limit cannot nest past it: most values need no walk at all.
    openers = text.count("[", at, end) + text.count("{", at, end)
    if openers > MAX_DEPTH and _depth_exceeds(value, MAX_DEPTH):
        raise ValueError(_TOO_DEEP)
    return value, end


def _depth_exceeds(value: Any, limit: int) -> bool:
    # A loop, not recursion: the value may be nested as deep as the parser allowed.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
