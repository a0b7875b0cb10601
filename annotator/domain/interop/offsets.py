"""Offsets counted in another unit. Tools written in JavaScript count UTF-16 code units, where
we (and Python) count code points: the two differ after any character outside the Basic
Multilingual Plane (most emoji, some CJK), each of which is two UTF-16 units."""


class Utf16Offsets:
    """Converts a text's UTF-16 offsets to code-point offsets."""

    def __init__(self, text: str):
        # Code-point positions of the characters that take two UTF-16 units.
        self._wide = [index for index, char in enumerate(text) if ord(char) > 0xFFFF]

    @property
    def differ(self) -> bool:
        return bool(self._wide)

    def code_point(self, utf16: int) -> int:
        """The code-point offset of a UTF-16 offset."""
        # Each wide character wholly before the offset shifts it by one: count them (the i-th
        # starts at UTF-16 offset position + i).
        low, high = 0, len(self._wide)
        while low < high:
            middle = (low + high) // 2
            if self._wide[middle] + middle + 1 < utf16:
                low = middle + 1
            else:
                high = middle
        return utf16 - low


def span_in_code_points(
    text: str, start: int, end: int, shown: str | None, utf16: Utf16Offsets
) -> tuple[int, int, bool] | None:
    """(start, end, converted) of a span whose tool gave `shown` as its text: the offsets as
    given when they cover it, else converted from UTF-16 when that covers it; None when
    neither does. Without a text to compare, the offsets are taken as code points."""
    if shown is None or text[start:end] == shown:
        return start, end, False
    if utf16.differ:
        converted = utf16.code_point(start), utf16.code_point(end)
        if text[converted[0] : converted[1]] == shown:
            return converted[0], converted[1], True
    return None
