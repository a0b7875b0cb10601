"""An annotator's links between their spans through the API: list, make, remove.

Lookups go through the annotator's own assignments (`_OwnAssignmentApi`), so another
annotator's assignment, span or link is a 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .. import services
from ..domain.links import KINDS
from ..models import SpanLink
from .annotate import _OwnAssignmentApi
from .serializers import StrictInput


class LinkCreateInput(StrictInput):
    source = serializers.IntegerField(help_text="Id of your CASUALTY_FIGURE span.")
    target = serializers.IntegerField(help_text="Id of your span the figure is linked to.")
    kind = serializers.ChoiceField(
        choices=list(KINDS),
        help_text="located_at (→ LOCATION), perpetrator and attributed_to (→ ACTOR), "
        "part_of (→ the CASUALTY_FIGURE it breaks down).",
    )


class LinkOutput(serializers.ModelSerializer):
    class Meta:
        model = SpanLink
        fields = ["id", "source", "target", "kind", "created_at"]
        read_only_fields = fields


class LinkListApi(_OwnAssignmentApi):
    paginated = True

    @extend_schema(responses=LinkOutput(many=True), summary="Your links on an assignment")
    def get(self, request, slug, assignment_id):
        return self.paginate(self.assignment(assignment_id).links.all(), LinkOutput)

    @extend_schema(
        request=LinkCreateInput,
        responses={201: LinkOutput},
        summary="Link two of your spans (400: wrong labels, duplicate, a loop of part_of)",
    )
    def post(self, request, slug, assignment_id):
        assignment = self.assignment(assignment_id)
        data = LinkCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        link = services.link_create(
            assignment=assignment,
            source=self.span(assignment, values["source"]),
            target=self.span(assignment, values["target"]),
            kind=values["kind"],
        )
        return Response(LinkOutput(link).data, status=status.HTTP_201_CREATED)


class LinkDetailApi(_OwnAssignmentApi):
    @extend_schema(responses={204: None}, summary="Remove a link")
    def delete(self, request, slug, assignment_id, link_id):
        link = self.assignment(assignment_id).links.filter(pk=link_id).first()
        if link is None:
            raise NotFound("No such link.")
        services.link_delete(link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)
