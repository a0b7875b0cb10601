"""Guidelines are Markdown a lead types and every annotator reads: what renders is sanitised."""

import pytest

from annotator.templatetags.markdown import render_markdown

from ..hostile import MARKDOWN, MARKDOWN_LITERAL, PLAIN
from ..hostile_pages import scan


@pytest.mark.parametrize("name", sorted({**MARKDOWN, **PLAIN}))
def test_no_hostile_markdown_renders_as_script_handlers_or_script_urls(name):
    html = render_markdown({**MARKDOWN, **PLAIN}[name])
    assert scan(html).found == []
    assert "<script" not in html.lower() and "<style" not in html.lower()


def test_links_keep_their_text_and_lose_a_script_url():
    html = render_markdown(
        MARKDOWN["md_javascript_link"] + " and [a report](https://example.org/r)"
    )
    assert "markdown link" in scan(html).text
    assert 'href="https://example.org/r"' in html


@pytest.mark.parametrize("name", MARKDOWN_LITERAL)
def test_template_syntax_and_invisible_characters_come_through_as_text(name):
    assert PLAIN[name] in scan(render_markdown(PLAIN[name])).text
