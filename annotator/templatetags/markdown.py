import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(name="markdown")
def render_markdown(source: str) -> str:
    """Markdown to HTML, then sanitised: guidelines are typed by leads but shown to everyone,
    so raw HTML, scripts and javascript: links never survive."""
    html = markdown_lib.markdown(source or "", extensions=["extra", "sane_lists"])
    return mark_safe(nh3.clean(html))
