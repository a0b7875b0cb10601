import random
import unicodedata

import pytest

from annotator.domain.spans import SpanValue
from annotator.domain.tokenize import Token, token_labels, tokenize


def words(text):
    return [text[token.start : token.end] for token in tokenize(text)]


def test_a_sentence_is_cut_into_words_numbers_and_punctuation():
    assert words("At least 16 civilians were killed in Idlib.") == [
        "At",
        "least",
        "16",
        "civilians",
        "were",
        "killed",
        "in",
        "Idlib",
        ".",
    ]


def test_offsets_are_code_points_of_the_text_as_stored():
    text = "👩‍👧 16 قتلى"
    tokens = tokenize(text)
    # The emoji is three code points (woman, ZWJ, girl) and seven UTF-16 units.
    assert tokens == [Token(0, 3), Token(4, 6), Token(7, 11)]
    assert [text[start:end] for start, end in tokens] == ["👩‍👧", "16", "قتلى"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More than 2,200 people", ["More", "than", "2,200", "people"]),
        ("1.5 million", ["1.5", "million"]),
        ("1,234.56", ["1,234.56"]),
        ("killed 2,200, wounded 30.", ["killed", "2,200", ",", "wounded", "30", "."]),
        ("10-15 fighters", ["10", "-", "15", "fighters"]),
        ("٢٬٢٠٠ و١٫٥", ["٢٬٢٠٠", "و", "١٫٥"]),
        ("16th", ["16", "th"]),
        ("5%", ["5", "%"]),
    ],
)
def test_numbers_keep_their_separators_and_nothing_else(text, expected):
    assert words(text) == expected


def test_arabic_words_keep_their_harakat_and_the_arabic_comma_is_punctuation():
    assert words("قُتل ١٦ مدنياً في إدلب، أمس.") == [
        "قُتل",
        "١٦",
        "مدنياً",
        "في",
        "إدلب",
        "،",
        "أمس",
        ".",
    ]


def test_an_arabic_clitic_does_not_swallow_the_figure():
    assert words("و١٦ مدنيا") == ["و", "١٦", "مدنيا"]


def test_combining_marks_stay_with_their_letter():
    assert words("Cafe\u0301 noe\u0308l") == ["Cafe\u0301", "noe\u0308l"]
    assert words("!\u0301") == ["!\u0301"]


@pytest.mark.parametrize(
    "emoji",
    [
        "👩‍👧",
        "👍🏽",
        "❤️",
        "🇸🇾",
        "1️⃣",
        "#️⃣",
        "🏳️‍🌈",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ],
)
def test_an_emoji_with_its_modifiers_is_one_token(emoji):
    assert words(f"a {emoji} b") == ["a", emoji, "b"]


def test_two_flags_side_by_side_are_two_tokens():
    assert words("🇸🇾🇹🇷") == ["🇸🇾", "🇹🇷"]


def test_hyphens_and_apostrophes_are_tokens_of_their_own():
    assert words("pro-Assad forces' Assad's") == [
        "pro",
        "-",
        "Assad",
        "forces",
        "'",
        "Assad",
        "'",
        "s",
    ]
    assert words("Syrian–Turkish ...") == ["Syrian", "–", "Turkish", ".", ".", "."]


def test_the_underscore_is_punctuation():
    assert words("snake_case") == ["snake", "_", "case"]


def test_crlf_and_other_white_space_are_never_tokens():
    text = "a\r\nb\u00a0c\u2003d\t\u3000e"
    assert words(text) == ["a", "b", "c", "d", "e"]
    assert tokenize("a\r\nb") == [Token(0, 1), Token(3, 4)]
    assert tokenize(" \r\n\t\u00a0") == []
    assert tokenize("") == []


def test_format_characters_separate_tokens_but_joiners_keep_a_word():
    assert words("\u200fقتل\u200f 16\u200e") == ["قتل", "16"]
    assert words("a\u200bb") == ["a", "b"]  # the zero-width space is a break
    assert words("\ufeffStart") == ["Start"]
    assert words("می‌خواهم") == ["می‌خواهم"]  # ZWNJ inside a Persian word
    assert words("intel\u00adligence") == ["intel\u00adligence"]


def test_control_characters_are_not_tokens():
    assert words("a\x00b\x07") == ["a", "b"]


def test_every_visible_character_is_in_exactly_one_token():
    alphabet = "ab Zé\u0301ق١٦ 1,2.3-'\r\n\t👩‍👧👍🏽🇸🇾.,;\u200f\u200c_𝟏𐴀\u00a0"
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        tokens = tokenize(text)
        covered = set()
        for previous, token in zip([Token(0, 0), *tokens], tokens, strict=False):
            assert previous.end <= token.start < token.end
            assert not any(char.isspace() for char in text[token.start : token.end])
            covered.update(range(token.start, token.end))
        for index, char in enumerate(text):
            if not char.isspace() and unicodedata.category(char) != "Cf":
                assert index in covered, (text, index)


TEXT = "At least 16 civilians were killed in pro-Assad areas."
TOKENS = tokenize(TEXT)


def labels(spans):
    return dict(zip(words(TEXT), token_labels(TOKENS, spans), strict=True))


def test_a_token_inside_a_span_takes_its_label():
    assert token_labels(TOKENS, [(0, 21, "CASUALTY_FIGURE")]) == [
        "CASUALTY_FIGURE",
        "CASUALTY_FIGURE",
        "CASUALTY_FIGURE",
        "CASUALTY_FIGURE",
        *[None] * 8,
    ]


def test_a_span_over_part_of_a_compound_labels_only_that_part():
    start = TEXT.index("Assad")
    assert labels([(start, start + 5, "ACTOR")])["Assad"] == "ACTOR"
    assert labels([(start, start + 5, "ACTOR")])["pro"] is None


def test_a_token_is_labelled_when_the_span_covers_more_than_half_of_it():
    start = TEXT.index("civilians")
    clipped = token_labels(TOKENS, [(0, start + 8, "C")])  # "civilian", without the "s"
    assert clipped[3] == "C"
    strayed = token_labels(TOKENS, [(0, start + 1, "C")])  # one letter into "civilians"
    assert strayed[3] is None
    half = token_labels([Token(0, 2)], [(0, 1, "C")])  # exactly half is not more than half
    assert half == [None]


def test_the_outer_span_wins_where_spans_nest():
    inner, outer = (9, 11, "NUMBER"), (0, 21, "CASUALTY_FIGURE")
    assert token_labels(TOKENS, [inner, outer])[2] == "CASUALTY_FIGURE"
    assert token_labels(TOKENS, [outer, inner])[2] == "CASUALTY_FIGURE"


def test_of_two_spans_that_both_cover_most_of_a_token_the_longer_wins():
    start = TEXT.index("civilians")
    longer = (start - 3, start + 6, "A")  # 6 of the 9 letters
    shorter = (start + 2, start + 9, "B")  # 7 of the 9 letters
    assert token_labels(TOKENS, [longer, shorter])[3] == "A"
    assert token_labels(TOKENS, [shorter, longer])[3] == "A"


def test_a_complete_tie_goes_to_the_first_label_alphabetically():
    assert token_labels(TOKENS, [(0, 2, "ZED"), (0, 2, "ALPHA")])[0] == "ALPHA"
    assert token_labels(TOKENS, [(0, 2, "ALPHA"), (0, 2, "ZED")])[0] == "ALPHA"


def test_token_labels_agree_with_the_rule_applied_token_by_token():
    def by_the_rule(tokens, spans):
        result = []
        for start, end in tokens:
            qualifying = [
                (-(span_end - span_start), span_start, label)
                for span_start, span_end, label in spans
                if 2 * (min(end, span_end) - max(start, span_start)) > end - start
            ]
            result.append(min(qualifying)[2] if qualifying else None)
        return result

    text = "   At least 16 civilians ,  pro-Assad   "
    tokens = tokenize(text)
    rng = random.Random(3)
    for _ in range(1000):
        spans = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randrange(0, len(text))
            spans.append((start, min(len(text), start + rng.randint(1, 25)), rng.choice("ABC")))
        assert token_labels(tokens, spans) == by_the_rule(tokens, spans), spans


def test_span_values_are_accepted_as_spans():
    assert token_labels(TOKENS, [SpanValue(9, 11, "C", 1)])[2] == "C"


def test_a_span_between_tokens_labels_nothing():
    tokens = tokenize("  abc  def  ")
    assert token_labels(tokens, [(0, 1, "C")]) == [None, None]
    assert token_labels(tokens, [(5, 7, "C")]) == [None, None]
    assert token_labels(tokens, [(10, 12, "C")]) == [None, None]


def test_no_spans_means_no_labels():
    assert token_labels(TOKENS, []) == [None] * len(TOKENS)
    assert token_labels([], [(0, 3, "C")]) == []
