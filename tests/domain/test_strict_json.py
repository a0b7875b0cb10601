import io
import json

import pytest

from annotator.domain.importers import DocumentRecord, RowError, read_documents
from annotator.domain.strict_json import MAX_DEPTH, strict_loads

HOSTILE = {
    "NaN": (b'{"text": "a", "meta": {"score": NaN}}', "NaN is not a JSON number"),
    "Infinity": (b'{"text": "a", "meta": {"score": Infinity}}', "Infinity is not a JSON number"),
    "-Infinity": (b'{"text": "a", "meta": {"s": -Infinity}}', "-Infinity is not a JSON number"),
    "1e999": (b'{"text": "a", "meta": {"score": 1e999}}', "the number 1e999 is too large"),
    "5,000 digits": (
        b'{"text": "a", "meta": {"n": ' + b"9" * 5000 + b"}}",
        "a number with 5,000 digits; numbers may have at most 20",
    ),
    "deep arrays": (b"[" * 100_000 + b"]" * 100_000, f"nested more than {MAX_DEPTH} levels"),
    "deep objects": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested more than"),
    "duplicate key": (b'{"text": "a", "text": "b"}', "the key 'text' appears twice"),
    "nested duplicate": (
        b'{"text": "a", "meta": {"k": 1, "k": 2}}',
        "the key 'k' appears twice in one object",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_each_hostile_jsonl_line_is_named_with_its_line_and_reason(case):
    line, reason = HOSTILE[case]
    rows = list(read_documents("in.jsonl", io.BytesIO(b'{"text": "good"}\n' + line + b"\n")))
    good, error = rows
    assert isinstance(good, DocumentRecord)
    assert isinstance(error, RowError) and error.line == 2
    assert error.reason.startswith("invalid JSON: ") and reason in error.reason, error.reason


@pytest.mark.parametrize("case", HOSTILE)
def test_each_hostile_label_studio_task_refuses_the_file_at_its_line(case):
    line, reason = HOSTILE[case]
    good = json.dumps({"data": {"text": "A report."}}).encode()
    data = b"[\n" + good + b',\n{"data": ' + line + b"}\n]"
    rows = read_documents("ls.json", io.BytesIO(data))
    [error] = [row for row in rows if isinstance(row, RowError)]
    assert (error.line, error.whole_file) == (3, True)
    assert reason in error.reason, error.reason


def test_a_doccano_line_with_a_duplicate_label_key_is_refused():
    line = b'{"text": "Idlib", "label": [[0, 5, "LOC"]], "label": []}'
    [error] = read_documents("admin.jsonl", io.BytesIO(line))
    assert error.reason == "invalid JSON: the key 'label' appears twice in one object"


def test_the_depth_limit_is_exact():
    at_limit = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert strict_loads(at_limit) == json.loads(at_limit)
    with pytest.raises(ValueError, match=f"nested more than {MAX_DEPTH} levels deep"):
        strict_loads("[" + at_limit + "]")


def test_ordinary_json_reads_as_the_standard_library_reads_it():
    text = '{"a": [1, -2.5e3, 12345678901234567890, true, null, "\\u00e9"], "b": {"c": {}}}'
    assert strict_loads(text) == json.loads(text)
    with pytest.raises(ValueError, match="Extra data"):
        strict_loads('{"a": 1} {"b": 2}')
