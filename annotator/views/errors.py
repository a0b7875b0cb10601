"""Error pages Django renders itself, before any view runs."""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def page_not_found(request, exception):
    """A URL that matches no route: under /api/ the JSON error the schema promises (as DRF
    gives for a missing object), elsewhere Django's page."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
