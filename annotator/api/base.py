"""What every API view shares: pagination, query-parameter allowlists, error mapping."""

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
    SubmissionIncomplete,
)


class IdCursorPagination(CursorPagination):
    """Stable pages however the data changes underneath: a cursor, never an offset."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ApiView(APIView):
    """An API view whose query parameters come from an explicit allowlist: anything else is
    a 400 naming it, so no query parameter ever reaches the ORM unchecked."""

    query_parameters: frozenset[str] = frozenset()
    paginated = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = self.query_parameters | ({"cursor", "page_size"} if self.paginated else set())
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({unknown[0]: ["Unknown query parameter."]})

    def paginate(self, queryset, serializer_class, **context):
        paginator = IdCursorPagination()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request, **context}).data
        return paginator.get_paginated_response(data)


def exception_handler(exc, context):
    """Service refusals become HTTP: a closed assignment or unmet precondition is 409, a
    refused value 400 naming its field."""
    if isinstance(exc, AttributesRejected):
        return Response({"attributes": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, AssignmentClosed | SubmissionIncomplete):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ServiceError):
        return Response(
            {exc.field or "detail": [exc.message] if exc.field else exc.message},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
