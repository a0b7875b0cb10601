import json
from html.parser import HTMLParser

from django.template import Context, Template


class MetaReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.metas = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self.metas.append(dict(attrs))


def test_the_page_head_configures_htmx_for_the_content_security_policy():
    html = Template("{% load htmx_config %}{% htmx_config %}").render(Context())
    reader = MetaReader()
    reader.feed(html)
    [meta] = reader.metas
    assert meta["name"] == "htmx-config"
    assert json.loads(meta["content"]) == {
        "selfRequestsOnly": True,
        "allowScriptTags": False,
        "allowEval": False,
        "includeIndicatorStyles": False,
    }


def test_every_page_has_it(client, db):
    reader = MetaReader()
    reader.feed(client.get("/login/").text)
    assert "htmx-config" in [meta.get("name") for meta in reader.metas]
