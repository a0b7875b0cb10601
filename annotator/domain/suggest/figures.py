"""Casualty figures suggested by rule: quantities that count people hurt by the war.

A quantity is suggested when its sentence says what happened to people (an outcome word:
killed, wounded, displaced, …) and it counts people: a people noun follows ("at least 16
civilians"), or no noun at all ("wounded more than 100"). Any other noun makes it an object
("30 medical facilities"). Ages, household sizes, populations, percentages, durations, dates
and times are left out. The span is the counted noun phrase with its qualifier, or the
quantity alone when there is no noun (DOMAIN.md). Precision comes first: a volunteer who
meets wrong suggestions stops trusting the right ones.
"""

import re
from dataclasses import dataclass

from ..numbers import QuantityMention, quantity_mentions
from .suggestion import Suggestion

LABEL = "CASUALTY_FIGURE"

_OUTCOMES = (  # the combined phrases first, so "killed and wounded" is not read as "killed"
    ("killed_or_injured", r"(?:killed|dead) (?:and|or) (?:wounded|injured)|casualties"),
    (
        "killed",
        r"killed|kill|kills|killing|slain|dead|died|die|dies|dying|deaths?|fatalit(?:y|ies)"
        r"|bodies|massacred|executed|perished|murdered|lost (?:his|her|their) li(?:fe|ves)",
    ),
    ("injured", r"wounded|wounding|injured|injuring|injur(?:y|ies)|hurt|maimed"),
    (
        "displaced",
        r"displaced|displacement|fled|flee|flees|fleeing|refugees|uprooted|evacuated|homeless",
    ),
    ("missing", r"missing|disappeared"),
    ("detained_or_abducted", r"detained|arrested|abducted|kidnapped|captured|detainees"),
    ("", r"victims|death toll|toll"),  # says people were hurt, not how
)
_OUTCOME_RES = [
    (outcome, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE))
    for outcome, pattern in _OUTCOMES
]
_AUXILIARY = r"(?:have|has|had|were|was|are|is|been|being|reportedly|also|later|as)\s+"
# Between a figure and the verb it is the subject of: "16 civilians [were] killed"
_RIGHT_AFTER = re.compile(rf"\s+(?:{_AUXILIARY})*", re.IGNORECASE)
# A passive verb further on: "at least 330,000 of Idlib … have been displaced"
_PASSIVE_BEFORE = re.compile(rf"\s(?:{_AUXILIARY})+$", re.IGNORECASE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The heads of a counted noun phrase: (victim_status, victim_subgroup) each implies. "people"
# and "women" do not make civilians (DOMAIN.md).
_PEOPLE: dict[str, tuple[str | None, str | None]] = {
    **dict.fromkeys(
        _words(
            "people persons individuals residents inhabitants villagers citizens syrians "
            "relatives others adults students pupils patients prisoners detainees refugees "
            "migrants protesters demonstrators worshippers members personnel workers"
        ),
        (None, None),
    ),
    "civilians": ("civilian", None),
    **dict.fromkeys(
        _words("children kids boys girls babies infants toddlers minors teenagers"),
        (None, "children"),
    ),
    "women": (None, "women"),
    "men": (None, "men"),
    "elderly": (None, "elderly"),
    **dict.fromkeys(
        _words(
            "fighters soldiers troops rebels militants militiamen jihadists insurgents "
            "combatants gunmen officers guards policemen"
        ),
        ("combatant", None),
    ),
    **dict.fromkeys(_words("rescuers volunteers"), (None, "civil_defence_worker")),
    **dict.fromkeys(_words("medics doctors nurses paramedics"), (None, "medical_worker")),
    **dict.fromkeys(_words("journalists reporters"), (None, "journalist")),
}
_CASUALTY_NOUNS = _words("dead deaths fatalities casualties victims bodies")
# Words that end a noun phrase before its head: the quantity then stands alone.
_PHRASE_ENDS = _words(
    "of in on at across from to into near since during after before by with among as for "
    "including throughout around inside outside within over under between per and or but "
    "nor who which that whom whose when while where were was are is have has had been be "
    "being will would could may might must remain remained still reportedly also more so "
    "than the a an their his her its this these those them they it"
)
_WEAK_VAGUE = _words("many several numerous countless")
_HEAD_WINDOW = 4

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_NOT_PEOPLE_BEFORE = re.compile(  # ages, households, populations, dates, money, times, labels
    rf"(?:\b{_MONTH}\.?\s+|(?i:\bage[ds]?(?: of)?\s+)"
    r"|(?i:\b(?:famil(?:y|ies)|households?) of\s+)"
    r"|(?i:\b(?:home to|population of|inhabited by|hosting|hosts)\s+)"
    r"|[$€£]\s*|\d:|(?i:\b(?:resolution|article|no\.|number|route|road|highway)\s+))$"
)
# "Reham, 5, grabbed …" and "Omar (12) was …" are ages; "In Idlib, 5 people …" is not.
_NAME_BEFORE = re.compile(r"\b[A-Z][\w’'-]*(?:,\s*|\s*\(\s*)$")
_AGE_AFTER_NAME = re.compile(r"\s*[,)]")
_NOT_PEOPLE_AFTER = re.compile(  # ages, compounds, percentages, times, dates
    rf"^(?:-[A-Za-z]|\s*(?:%|(?i:per ?cent|percent)\b)|:\d|\s*(?i:a\.m\.|p\.m\.|am\b|pm\b"
    rf"|gmt\b|utc\b|o[’']clock)|\s+(?i:years?|months?|weeks?|days?) old\b|\s+{_MONTH}\b"
    r"|,?\s+\d{4}\b)"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n")


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    mention: QuantityMention
    head: str | None


def suggest_figures(text: str) -> list[Suggestion]:
    """Casualty figures of `text` in order, with their value, qualifier, bounds, additive,
    and the outcome and victim attributes their words state."""
    suggestions = []
    for sentence_start, sentence_end in _sentences(text):
        sentence = text[sentence_start:sentence_end]
        cues = _outcome_cues(sentence)
        if not cues:
            continue
        figures = [
            figure
            for mention in quantity_mentions(sentence)
            if (figure := _counted_figure(sentence, mention)) is not None
        ]
        for index, figure in enumerate(figures):
            following = figures[index + 1].start if index + 1 < len(figures) else len(sentence)
            cue = _outcome_of(sentence, figure, cues, following)
            suggestions.append(_suggestion(figure, cue, sentence_start))
    return suggestions


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        bounds.append((start, end.start() + 1))
        start = end.end()
    bounds.append((start, len(text)))
    return [(start, end) for start, end in bounds if start < end]


@dataclass(frozen=True, order=True)
class _Cue:
    start: int
    end: int
    outcome: str  # "" when the word says people were hurt but not how ("victims")
    word: str


def _outcome_cues(sentence: str) -> list[_Cue]:
    cues: list[_Cue] = []
    for outcome, pattern in _OUTCOME_RES:
        for match in pattern.finditer(sentence):
            if not any(cue.start < match.end() and match.start() < cue.end for cue in cues):
                cues.append(_Cue(match.start(), match.end(), outcome, match.group()))
    return sorted(cues)


def _counted_figure(sentence: str, mention: QuantityMention) -> _Figure | None:
    """The figure a quantity starts, or None when it does not count people."""
    quantity, start, end = mention.quantity, mention.start, mention.end
    before, after = sentence[:start], sentence[end:]
    if _NOT_PEOPLE_AFTER.match(after):
        return None
    if _NOT_PEOPLE_BEFORE.search(before):
        return None
    if _NAME_BEFORE.search(before) and _AGE_AFTER_NAME.match(after):
        return None
    vague = quantity.value is None
    phrase = after
    offset = end
    if vague and after.startswith(" of "):
        offset += 3
        phrase = after[3:]
    head = _head(phrase)
    if head is False:
        return None
    if head is None:
        if vague and (offset > end or sentence[start:end].lower() in _WEAK_VAGUE):
            return None  # "many of them", "dozens of the …": no people noun to count
        if not vague and quantity.qualifier == "exact" and 1900 <= quantity.value <= 2099:
            return None  # a year: "since 2011", "April 2017"
        return _Figure(start, end, mention, None)
    head_end, noun = head
    return _Figure(start, offset + head_end, mention, noun)


def _head(phrase: str) -> tuple[int, str] | bool | None:
    """(end, noun) of the people noun heading `phrase`; None when the quantity stands alone;
    False when it counts something else ("medical facilities", "years")."""
    position = 0
    for _ in range(_HEAD_WINDOW):
        gap = re.match(r" (?=[A-Za-z])", phrase[position:])
        if not gap:
            return None if position == 0 else False
        word = _WORD.match(phrase, position + 1)
        assert word
        lowered = word.group().lower()
        if lowered in _PEOPLE or lowered in _CASUALTY_NOUNS:
            return word.end(), lowered
        if lowered in _PHRASE_ENDS or _is_outcome(lowered):
            return None if position == 0 else False
        position = word.end()
    return False


def _is_outcome(word: str) -> bool:
    return any(pattern.fullmatch(word) for _, pattern in _OUTCOME_RES)


def _outcome_of(sentence: str, figure: _Figure, cues: list[_Cue], following: int) -> _Cue:
    """The outcome word that says what happened to the figure's people: its own noun
    ("10 fatalities"), else a verb it is the subject of ("were killed", "people fled"),
    else the nearest verb before it ("killed at least 59"), else the nearest word at all."""
    inside = [cue for cue in cues if figure.start <= cue.start < figure.end]
    if inside:
        return inside[0]
    after = [cue for cue in cues if figure.end <= cue.start < following]
    if after and (
        _RIGHT_AFTER.fullmatch(sentence[figure.end : after[0].start])
        or _PASSIVE_BEFORE.search(sentence[figure.end : after[0].start])
    ):
        return after[0]
    before = [cue for cue in cues if cue.end <= figure.start]
    if before:
        return before[-1]
    return min(cues, key=lambda cue: abs(cue.start - figure.end))


def _suggestion(figure: _Figure, cue: _Cue, offset: int) -> Suggestion:
    quantity = figure.mention.quantity
    attributes: dict[str, object] = {}
    if quantity.value is not None:
        attributes["value"] = quantity.value
    attributes["qualifier"] = quantity.qualifier
    for name, bound in zip(("value_low", "value_best", "value_high"), quantity.bounds, strict=True):
        if bound is not None:
            attributes[name] = bound
    if quantity.additive:
        attributes["additive"] = True
    if cue.outcome:
        attributes["outcome"] = cue.outcome
    status, subgroup = _PEOPLE.get(figure.head or "", (None, None))
    if status:
        attributes["victim_status"] = status
    if subgroup:
        attributes["victim_subgroup"] = [subgroup]
    counted = f"counts {figure.head}" if figure.head else "a number of people"
    reason = f"{counted}; outcome word '{cue.word}'"
    return Suggestion(offset + figure.start, offset + figure.end, LABEL, attributes, reason)
