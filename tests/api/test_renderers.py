import json

from annotator.api.renderers import SurrogateSafeJSONRenderer


def test_text_goes_out_as_itself():
    body = SurrogateSafeJSONRenderer().render({"text": "قتل ١٦ مدنيا"})
    assert "قتل ١٦ مدنيا".encode() in body


def test_a_lone_surrogate_quoted_back_is_escaped_not_a_server_error():
    body = SurrogateSafeJSONRenderer().render({"kind": ['"\ud800" is not a valid choice.']})
    assert b"\\ud800" in body
    assert json.loads(body) == {"kind": ['"\ud800" is not a valid choice.']}
