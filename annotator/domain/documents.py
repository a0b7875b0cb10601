"""What makes a text acceptable as a document, and the values derived from it.

Document text is stored exactly as received: every span offset in the system points into it,
so nothing here normalises quotes, line endings or Unicode. These checks only refuse what the
databases cannot store faithfully (NUL, lone surrogates) and what is not a document at all.
"""

import hashlib
import re
from dataclasses import dataclass

MAX_DOCUMENT_CHARS = 1_000_000
MAX_TITLE_CHARS = 300
MAX_EXTERNAL_ID_CHARS = 200

# NUL cannot be stored by PostgreSQL; a surrogate code point is either an undecodable byte
# (kept by the "surrogateescape" decoder so we can say which byte) or a lone "\udXXX" escape.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class TextProblem:
    offset: int  # code-point index of the first offending character
    reason: str


def unstorable_character(value: str) -> TextProblem | None:
    """The first character no database can store faithfully, if any."""
    # The common case, clean text, is decided by two C-speed scans; the regex (ten times
    # slower on long texts) only runs to find the culprit.
    if _utf8_encodable(value):
        return None
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        reason = "contains a NUL character"
    elif "\udc80" <= char <= "\udcff":
        reason = f"is not valid UTF-8 (byte 0x{ord(char) - 0xDC00:02x})"
    else:
        reason = f"contains a lone surrogate (U+{ord(char):04X})"
    return TextProblem(found.start(), reason)


def _utf8_encodable(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(value: str) -> str:
    """`value` as it can be shown in a message (any text encoding can carry it): a lone
    surrogate, such as an undecodable byte kept by "surrogateescape", becomes its escape."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def unstorable_in_json(value) -> str | None:
    """Why a JSON value (keys included) cannot be stored, or None."""
    if isinstance(value, str):
        bad = unstorable_character(value)
        return bad.reason if bad else None
    if isinstance(value, dict):
        items = [item for pair in value.items() for item in pair]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        reason = unstorable_in_json(item)
        if reason:
            return reason
    return None


def text_problem(text: str) -> TextProblem | None:
    """Why `text` cannot be a document, or None when it can."""
    if not text.strip():
        return TextProblem(0, "the document is empty")
    if len(text) > MAX_DOCUMENT_CHARS:
        return TextProblem(
            0, f"the document has {len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,}"
        )
    return unstorable_character(text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def title_from_text(text: str) -> str:
    """The first non-empty line, shortened to fit a title."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            return shorten(stripped, MAX_TITLE_CHARS)
    return ""


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def line_number(text: str, offset: int) -> int:
    """1-based line of a code-point offset (lines end at LF, so CRLF counts once)."""
    return text.count("\n", 0, offset) + 1
