from annotator.domain.spans import SpanValue, segments, span_problem

TEXT = "At least 16 civilians 👩‍👧 were killed in Idlib."


def test_valid_span_has_no_problem():
    assert span_problem(0, 21, TEXT) is None
    assert TEXT[0:21] == "At least 16 civilians"


def test_span_problems_name_the_field():
    assert span_problem(-1, 3, TEXT) == ("start", "'start' must be 0 or more")
    assert span_problem(5, 5, TEXT) == ("end", "'end' must be greater than 'start'")
    assert span_problem(0, len(TEXT) + 1, TEXT)[0] == "end"
    assert "past the end of the text (47 characters)" in span_problem(0, 99, TEXT)[1]
    assert span_problem("1", 3, TEXT) == ("start", "'start' must be a whole number")
    assert span_problem(True, 3, TEXT)[0] == "start"
    assert span_problem(21, 22, TEXT) == ("start", "the span covers only white space")


def test_segments_without_overlap_are_one_per_span():
    spans = [SpanValue(9, 21, "C", 1), SpanValue(41, 46, "L", 2)]
    pieces = segments(len(TEXT), spans)
    assert [(p.start, p.end, [s.id for s in p.spans]) for p in pieces] == [
        (0, 9, []),
        (9, 21, [1]),
        (21, 41, []),
        (41, 46, [2]),
        (46, 47, []),
    ]


def test_segments_with_overlap_nest_outer_first():
    outer, inner = SpanValue(0, 21, "C", 1), SpanValue(9, 11, "C", 2)
    pieces = segments(21, [inner, outer])
    assert [(p.start, p.end, [s.id for s in p.spans]) for p in pieces] == [
        (0, 9, [1]),
        (9, 11, [1, 2]),
        (11, 21, [1]),
    ]


def test_segments_of_an_empty_span_list_is_the_whole_text():
    assert [(p.start, p.end) for p in segments(5, [])] == [(0, 5)]
