"""What every API view shares: pagination, query-parameter allowlists, error mapping."""

import logging

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from ..services import (
    AssignmentClosed,
    AttributesRejected,
    ServiceError,
    SpanGone,
    SubmissionIncomplete,
)
from ..views.errors import DATABASE_ERRORS, database_unavailable

logger = logging.getLogger(__name__)


class IdCursorPagination(CursorPagination):
    """Stable pages however the data changes underneath: a cursor, never an offset."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """A page size that is not a whole number from 1 to the maximum is refused, where DRF
        would quietly use the default (or the maximum) instead."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size):
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class ApiView(APIView):
    """An API view whose query parameters come from an explicit allowlist: anything else is
    a 400 naming it, so no query parameter ever reaches the ORM unchecked."""

    query_parameters: frozenset[str] = frozenset()
    paginated = False

    @property
    def pagination_class(self):
        """The cursor page of a paginated view; drf-spectacular reads it to document the page
        (`next`, `previous`, `results`) and its `cursor` and `page_size` parameters."""
        return IdCursorPagination if self.paginated else None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = self.query_parameters | ({"cursor", "page_size"} if self.paginated else set())
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({unknown[0]: ["Unknown query parameter."]})

    def paginate(self, queryset, serializer_class, **context):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request, **context}).data
        return paginator.get_paginated_response(data)


def exception_handler(exc, context):
    """Service refusals become HTTP: a closed assignment or unmet precondition is 409, a span
    deleted meanwhile 404, a refused value 400 naming its field. A database out of reach is a
    503 to retry, with the details in the server's log only."""
    if isinstance(exc, DATABASE_ERRORS):
        request = context["request"]
        logger.error("Database unavailable: %s %s", request.method, request.path, exc_info=exc)
        return database_unavailable(request)
    if isinstance(exc, AttributesRejected):
        return Response({"attributes": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, SpanGone):
        return Response({"detail": exc.message}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, AssignmentClosed | SubmissionIncomplete):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ServiceError):
        return Response(
            {exc.field or "detail": [exc.message] if exc.field else exc.message},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
