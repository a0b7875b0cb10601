from annotator.domain.documents import (
    MAX_DOCUMENT_CHARS,
    MAX_TITLE_CHARS,
    line_number,
    text_problem,
    text_sha256,
    title_from_text,
)


def test_ordinary_text_has_no_problem():
    assert text_problem("At least 16 civilians were killed in Idlib.\r\n") is None


def test_arabic_emoji_and_combining_marks_are_fine():
    assert text_problem("قتل 16 مدنيا 👩‍👧 cafe\u0301") is None


def test_empty_and_whitespace_only_texts_are_refused():
    assert text_problem("").reason == "the document is empty"
    assert text_problem(" \r\n\t ").reason == "the document is empty"


def test_nul_is_refused_at_its_offset():
    problem = text_problem("abc\x00def")
    assert problem.offset == 3
    assert "NUL" in problem.reason


def test_undecodable_byte_is_named():
    text = b"ok\n\xff bad".decode("utf-8", errors="surrogateescape")
    problem = text_problem(text)
    assert problem.reason == "is not valid UTF-8 (byte 0xff)"
    assert line_number(text, problem.offset) == 2


def test_lone_surrogate_is_refused():
    assert text_problem("a\ud800b").reason == "contains a lone surrogate (U+D800)"


def test_oversized_text_is_refused():
    assert "limit" in text_problem("x" * (MAX_DOCUMENT_CHARS + 1)).reason


def test_sha256_is_of_the_utf8_bytes():
    assert text_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_sha256("a\r\n") != text_sha256("a\n")


def test_title_is_first_non_empty_line_shortened():
    assert title_from_text("\n\n  Headline here  \nBody") == "Headline here"
    long_title = title_from_text("word " * 200)
    assert len(long_title) == MAX_TITLE_CHARS
    assert long_title.endswith("…")


def test_line_number_counts_crlf_once():
    text = "one\r\ntwo\r\nthree"
    assert line_number(text, text.index("three")) == 3
