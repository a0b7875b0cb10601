"""Error pages Django renders itself, before any view runs or when one fails."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

API_PREFIX = "/api/"

# What a lost database connection raises: the server restarting, the network between the app
# and the database dropping, too many connections. All pass; none is the request's fault.
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "The service is briefly unavailable: please try again in a moment."


def page_not_found(request, exception):
    """A URL that matches no route: under /api/ the JSON error the schema promises (as DRF
    gives for a missing object), elsewhere Django's page."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """An exception no view handled (Django has already logged it with its traceback).

    The database being out of reach is a 503 telling the client to retry, so that an
    annotator's page keeps the span and sends it again; anything else a plain 500. Neither
    says more: a traceback or a query would show an attacker the code and the schema."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable(request)
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)


def database_unavailable(request) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, otherwise a page that needs no database (not
    base.html, which reads the user) and no static files (whose manifest may be what broke)."""
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
