"""htmx's configuration, read by htmx from a <meta name="htmx-config"> in every page."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# What the Content-Security-Policy forbids, htmx must not try either: no requests to other
# sites, no <script> in swapped-in content, no eval (hx-on, hx-vars, trigger filters), and no
# <style> element of its own for request indicators (no page uses them).
HTMX_CONFIG = {
    "selfRequestsOnly": True,
    "allowScriptTags": False,
    "allowEval": False,
    "includeIndicatorStyles": False,
}


@register.simple_tag
def htmx_config() -> SafeString:
    """The meta element; htmx reads it when the page is ready, so anywhere in <head> works."""
    return format_html('<meta name="htmx-config" content="{}">', json.dumps(HTMX_CONFIG))
