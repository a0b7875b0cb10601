"""An annotator's own work through the API: assignments, next document, spans, submit, skip.

Every lookup goes through `assignments_visible_to`, so another annotator's assignment or span
is a 404, exactly as if it did not exist.
"""

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from .. import services
from ..models import Assignment, Span
from ..permissions import IsProjectAnnotator, assignments_visible_to
from .base import ApiView
from .serializers import (
    AssignmentDetailOutput,
    AssignmentOutput,
    SkipInput,
    SpanCreateInput,
    SpanOutput,
    SpanUpdateInput,
)


class _OwnAssignmentApi(ApiView):
    permission_classes = [IsProjectAnnotator]

    def assignment(self, assignment_id) -> Assignment:
        found = (
            assignments_visible_to(self.request.user, self.project)
            .select_related("document")
            .filter(pk=assignment_id)
            .first()
        )
        if found is None:
            raise NotFound("No such assignment.")
        return found

    def span(self, assignment, span_id):
        found = (
            assignment.spans.select_related("label", "assignment__document")
            .filter(pk=span_id)
            .first()
        )
        if found is None:
            raise NotFound("No such span.")
        return found

    def label(self, key: str):
        found = self.project.labels.filter(key=key).first()
        if found is None:
            raise ValidationError({"label": ["Not a label of this project."]})
        return found


class AssignmentListApi(_OwnAssignmentApi):
    paginated = True
    query_parameters = frozenset({"status"})

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=Assignment.Status.values)],
        responses=AssignmentOutput(many=True),
        summary="Your assignments in the project",
    )
    def get(self, request, slug):
        assignments = assignments_visible_to(request.user, self.project).select_related("document")
        wanted = request.query_params.get("status")
        if wanted is not None:
            if wanted not in Assignment.Status.values:
                raise ValidationError(
                    {"status": [f"One of {', '.join(Assignment.Status.values)}."]}
                )
            assignments = assignments.filter(status=wanted)
        return self.paginate(assignments, AssignmentOutput)


class AssignmentNextApi(_OwnAssignmentApi):
    @extend_schema(
        request=None,
        responses={200: AssignmentDetailOutput, 204: None},
        summary="Your unfinished document, or the next one (204: none left)",
    )
    def post(self, request, slug):
        assignment = services.assignment_next(project=self.project, annotator=request.user)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(AssignmentDetailOutput(_with_spans(assignment)).data)


class AssignmentDetailApi(_OwnAssignmentApi):
    @extend_schema(
        responses=AssignmentDetailOutput,
        summary="One of your assignments, with the text and your spans",
    )
    def get(self, request, slug, assignment_id):
        return Response(AssignmentDetailOutput(_with_spans(self.assignment(assignment_id))).data)


def _with_spans(assignment: Assignment) -> Assignment:
    """The assignment with its spans and their labels read in one query, not one per span."""
    prefetch_related_objects([assignment], Prefetch("spans", Span.objects.select_related("label")))
    return assignment


class SpanListApi(_OwnAssignmentApi):
    paginated = True

    @extend_schema(responses=SpanOutput(many=True), summary="Your spans on an assignment")
    def get(self, request, slug, assignment_id):
        assignment = self.assignment(assignment_id)
        spans = assignment.spans.select_related("label", "assignment__document")
        return self.paginate(spans, SpanOutput)

    @extend_schema(
        request=SpanCreateInput,
        responses={201: SpanOutput, 200: SpanOutput},
        summary="Add a span (201); the same span again is that one span (200)",
    )
    def post(self, request, slug, assignment_id):
        assignment = self.assignment(assignment_id)
        data = SpanCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        span = services.span_create(
            assignment=assignment,
            label=self.label(values["label"]),
            start=values["start"],
            end=values["end"],
            attributes=values.get("attributes"),
        )
        created = status.HTTP_200_OK if span.already_saved else status.HTTP_201_CREATED
        return Response(SpanOutput(span).data, status=created)


class SpanDetailApi(_OwnAssignmentApi):
    @extend_schema(responses=SpanOutput, summary="One of your spans")
    def get(self, request, slug, assignment_id, span_id):
        return Response(SpanOutput(self.span(self.assignment(assignment_id), span_id)).data)

    @extend_schema(
        request=SpanUpdateInput,
        responses=SpanOutput,
        summary="Relabel a span and/or replace its attributes",
    )
    def patch(self, request, slug, assignment_id, span_id):
        span = self.span(self.assignment(assignment_id), span_id)
        data = SpanUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # One request, one change: refused attributes leave the label as it was too.
        with transaction.atomic():
            if "label" in values:
                span = services.span_relabel(span=span, label=self.label(values["label"]))
            if "attributes" in values:
                span = services.span_set_attributes(span=span, submitted=values["attributes"])
        return Response(SpanOutput(span).data)

    @extend_schema(responses={204: None}, summary="Delete a span")
    def delete(self, request, slug, assignment_id, span_id):
        services.span_delete(span=self.span(self.assignment(assignment_id), span_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentSubmitApi(_OwnAssignmentApi):
    @extend_schema(
        request=None,
        responses=AssignmentOutput,
        summary="Submit: the spans can no longer change (409 if it already was submitted)",
    )
    def post(self, request, slug, assignment_id):
        assignment = services.assignment_submit(assignment=self.assignment(assignment_id))
        return Response(AssignmentOutput(assignment).data)


class AssignmentSkipApi(_OwnAssignmentApi):
    @extend_schema(
        request=SkipInput,
        responses=AssignmentOutput,
        summary="Skip with a reason: someone else gets the document",
    )
    def post(self, request, slug, assignment_id):
        data = SkipInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_skip(
            assignment=self.assignment(assignment_id), reason=data.validated_data["reason"]
        )
        return Response(AssignmentOutput(assignment).data)
