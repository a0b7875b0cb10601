"""The API's JSON parser: the importers' strict reading, for every request body.

DRF's JSONParser hands the body to Python's json module, which accepts NaN, keeps the last
of two equal keys, and raises RecursionError (a 500) on a body nested a few thousand levels
deep. This one answers each with a 400 that says what is wrong.
"""

import codecs

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ..domain.strict_json import strict_loads


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return strict_loads(text)
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
