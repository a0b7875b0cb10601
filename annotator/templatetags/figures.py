from django import template

register = template.Library()


@register.filter
def figure(value, places: int = 3) -> str:
    """A coefficient as text; an undefined one (None) says so instead of showing a number."""
    if value is None:
        return "not defined"
    return f"{value:.{places}f}"
