"""The API's JSON renderer.

Text goes out as itself (Arabic stays readable), except in a body holding a lone surrogate:
a client can send one in a value the API refuses, and the error that quotes it back cannot be
written as UTF-8. Such a body is written with \\u escapes instead of failing with a 500.
"""

from rest_framework.renderers import JSONRenderer


class SurrogateSafeJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True
            return super().render(data, accepted_media_type, renderer_context)
