"""What the audit log says about things users named: made safe to store and to read."""

import unicodedata

NAME_LENGTH = 120
_JOINERS = ("\u200c", "\u200d")  # zero-width non-joiner and joiner


def file_name_shown(name: str) -> str:
    """The file's own name, without the folders of whoever uploaded or ran it, with every
    character that could hide or disguise text (controls, bidi overrides, zero-width marks,
    lone surrogates) written as its escape: the log shows what the file was really called."""
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name
    shown = "".join(
        char if _visible(base, index) else char.encode("unicode_escape").decode("ascii")
        for index, char in enumerate(base)
    )
    return shown if len(shown) <= NAME_LENGTH else shown[: NAME_LENGTH - 1] + "…"


def _visible(text: str, index: int) -> bool:
    char = text[index]
    if char in _JOINERS:
        # Joiners belong inside emoji sequences and Persian or Indic words; anywhere else they
        # only make two names look alike.
        around = text[index - 1 : index] + text[index + 1 : index + 2]
        return len(around) == 2 and all(not c.isascii() and _plain(c) for c in around)
    return _plain(char)


def _plain(char: str) -> bool:
    # Controls, format characters (bidi overrides, zero-width), lone surrogates, private use.
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")


def names_listed(names: list[str], noun: str, shown: int = 5) -> str:
    """'a.txt, b.txt and 3 more files': a summary line stays one line however many names."""
    if len(names) <= shown:
        return ", ".join(names)
    rest = len(names) - shown
    return f"{', '.join(names[:shown])} and {rest} more {noun}{'s' if rest != 1 else ''}"
