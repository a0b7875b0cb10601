"""Offsets survive the trip browser → server → database → browser whatever the text holds.

The browser counts UTF-16 code units in DOM text nodes; the server stores code points. Emoji
(one code point, two units; a family emoji is three code points joined by ZWJ), other astral
characters, combining marks, right-to-left text and CRLF line endings all sit BEFORE the
target words, so a wrong count anywhere shifts the stored span.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    TEXT,
    code_points,
    drag_select,
    expect_saved,
    log_in,
    mark_for,
    open_next_document,
    select_code_points,
    spans_of,
)

pytestmark = pytest.mark.e2e

FAMILY = "\U0001f469\u200d\U0001f467"  # 👩‍👧: woman, zero-width joiner, girl
GRIN = "\U0001f600"  # 😀
FRAKTUR = "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"  # seven astral letters
CAFE = "cafe\u0301"  # e + combining acute accent
ARABIC = "قتل 16 مدنيا في إدلب"

TEXT_WITH_EVERYTHING = (
    f"Report {FAMILY} from the {FRAKTUR} desk, {CAFE} edition {GRIN}\r\n"
    f"{ARABIC}\r\n"
    f"Shelling hit Aleppo after {GRIN} dawn, killing 12 civilians {FAMILY} nearby.\r\n"
    f"Jets struck Maarat al-Numan and {FRAKTUR} twice.\r\n"
)
AN_ID = re.compile(r"^\d+$")


def document_text_in_page(page: Page) -> str:
    return page.locator(TEXT).evaluate("el => el.textContent")


def tag_with_mouse(page: Page, text: str, words: str, key: str, *, occurrence: int = 1):
    """Drag from inside the first character to inside the last one, press the key, wait for
    the saved mark. The selection is exactly `words` (characters may be several UTF-16 units
    wide; the mouse lands at character boundaries)."""
    start, end = code_points(text, words, occurrence)
    drag_select(page, start, end)
    assert page.evaluate("window.getSelection().toString()") == words
    page.keyboard.press(key)
    mark = mark_for(page, start, end)
    expect(mark).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    return mark


def stored(user, document) -> list[tuple[str, str]]:
    return [(document.text[s.start : s.end], s.label.key) for s in spans_of(user, document)]


@pytest.fixture
def opened(page, server, annotator, import_texts):
    (document,) = import_texts(TEXT_WITH_EVERYTHING)
    assert document.text == TEXT_WITH_EVERYTHING  # stored as imported, CRLF and all
    log_in(page, server, "annotator1")
    open_next_document(page)
    return document


def test_the_page_text_is_the_stored_text_exactly(page, opened):
    assert document_text_in_page(page) == opened.text
    assert "\r\n" in document_text_in_page(page)
    # The page's own conversion agrees with Python's code-point indices.
    assert page.evaluate(
        "Offsets.codePointsIn(document.getElementById('document-text').textContent)"
    ) == len(opened.text)


def test_mouse_spans_after_emoji_astral_combining_arabic_and_crlf(page, opened, annotator):
    text = opened.text
    tag_with_mouse(page, text, "Aleppo", "l")
    tag_with_mouse(page, text, "12 civilians", "c")
    tag_with_mouse(page, text, "twice", "a")
    assert stored(annotator, opened) == [
        ("Aleppo", "LOCATION"),
        ("12 civilians", "CASUALTY_FIGURE"),
        ("twice", "ACTOR"),
    ]

    page.reload()
    assert document_text_in_page(page) == text
    marks = page.locator(f"{TEXT} mark.span[data-span-id]")
    expect(marks).to_have_count(3)
    assert marks.all_text_contents() == ["Aleppo", "12 civilians", "twice"]


def test_mouse_spans_containing_emoji_and_astral_letters(page, opened, annotator):
    text = opened.text
    tag_with_mouse(page, text, f"after {GRIN} dawn", "a")
    tag_with_mouse(page, text, f"12 civilians {FAMILY} nearby", "c")
    tag_with_mouse(page, text, FRAKTUR, "l", occurrence=2)
    assert stored(annotator, opened) == [
        (f"after {GRIN} dawn", "ACTOR"),
        (f"12 civilians {FAMILY} nearby", "CASUALTY_FIGURE"),
        (FRAKTUR, "LOCATION"),
    ]
    page.reload()
    marks = page.locator(f"{TEXT} mark.span[data-span-id]")
    assert marks.all_text_contents() == [
        f"after {GRIN} dawn",
        f"12 civilians {FAMILY} nearby",
        FRAKTUR,
    ]
    assert document_text_in_page(page) == text


def test_word_snapping_keeps_combining_marks_and_astral_letters_whole(page, opened, annotator):
    text = opened.text
    # Drag over "ca" of "café" (e + U+0301): the span widens to the whole word, accent included.
    start, end = code_points(text, CAFE)
    drag_select(page, start, start + 2)
    page.keyboard.press("l")
    expect(mark_for(page, start, end)).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    # Drag over the middle of the Fraktur word: snapped to all seven astral letters.
    start, end = code_points(text, FRAKTUR)
    drag_select(page, start + 2, start + 4)
    page.keyboard.press("a")
    expect(mark_for(page, start, end)).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    assert stored(annotator, opened) == [(FRAKTUR, "ACTOR"), (CAFE, "LOCATION")]


def test_right_to_left_words_by_offsets_and_shortcut(page, opened, annotator):
    text = opened.text
    for words, key in (("إدلب", "l"), ("16 مدنيا", "c")):
        start, end = code_points(text, words)
        select_code_points(page, start, end)
        assert page.evaluate("window.getSelection().toString()") == words
        page.keyboard.press(key)
        expect(mark_for(page, start, end)).to_have_attribute("data-span-id", AN_ID)
        expect_saved(page)
    assert stored(annotator, opened) == [("16 مدنيا", "CASUALTY_FIGURE"), ("إدلب", "LOCATION")]
    assert document_text_in_page(page) == text


def test_alt_drag_keeps_character_precision(page, opened, annotator):
    text = opened.text
    # Part of a word, with Alt: exactly the characters dragged over, no widening.
    start, end = code_points(text, "Maar")
    drag_select(page, start, end, alt=True)
    page.keyboard.press("l")
    expect(mark_for(page, start, end)).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    # Astral letters in the middle of a word (each two UTF-16 units), with Alt.
    start = text.index(FRAKTUR, text.index("Numan")) + 2
    drag_select(page, start, start + 3, alt=True)
    page.keyboard.press("a")
    expect(mark_for(page, start, start + 3)).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    # The same kind of drag without Alt is widened to the whole word.
    start, end = code_points(text, "Numan")
    drag_select(page, start + 1, end - 1)
    page.keyboard.press("c")
    expect(mark_for(page, start, end)).to_have_attribute("data-span-id", AN_ID)
    expect_saved(page)
    assert stored(annotator, opened) == [
        ("Maar", "LOCATION"),
        ("Numan", "CASUALTY_FIGURE"),
        (FRAKTUR[2:5], "ACTOR"),
    ]
