"""The gold for leads: streamed as it is read (JSONL, with or without each annotator's layer,
and the casualty table), or in any format as a background export whose file is downloaded
when it is done."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from ..models import Export
from ..permissions import IsProjectLead
from ..services.export_files import FORMATS, STREAMED, SUFFIXES, gold_stream
from ..services.export_jobs import export_request
from ..views.exports import export_file_response
from .base import ApiView
from .serializers import StrictInput

SPLITS = r"^\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?$"


def _ratios(splits: str | None) -> tuple[float, float, float] | None:
    return tuple(float(part) for part in splits.split(",")) if splits else None


class ExportQuery(serializers.Serializer):
    # Not "format": DRF reads ?format= as the choice of its own renderer.
    file_format = serializers.ChoiceField(choices=list(STREAMED), default="jsonl")
    include_auto_accepted = serializers.BooleanField(default=False)
    splits = serializers.RegexField(
        SPLITS,
        required=False,
        help_text="train,dev,test shares, e.g. 0.8,0.1,0.1 (jsonl and layers).",
    )
    seed = serializers.IntegerField(default=0, min_value=0, max_value=2**31)


class ExportApi(ApiView):
    permission_classes = [IsProjectLead]
    query_parameters = frozenset({"file_format", "include_auto_accepted", "splits", "seed"})

    @extend_schema(
        parameters=[
            OpenApiParameter("file_format", str, enum=list(STREAMED), default="jsonl"),
            OpenApiParameter("include_auto_accepted", bool, default=False),
            OpenApiParameter("splits", str, description="train,dev,test shares, e.g. 0.8,0.1,0.1"),
            OpenApiParameter("seed", int, default=0),
        ],
        responses={
            (200, media_type): OpenApiTypes.STR for media_type in sorted(set(STREAMED.values()))
        },
        summary="The adjudicated gold, streamed (leads)",
    )
    def get(self, request, slug):
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        lines = gold_stream(
            project=self.project,
            format=wanted["file_format"],
            include_auto_accepted=wanted["include_auto_accepted"],
            ratios=_ratios(wanted.get("splits")),
            seed=wanted["seed"],
            actor=request.user,
        )
        response = StreamingHttpResponse(lines, content_type=STREAMED[wanted["file_format"]])
        name = f"{self.project.slug}-gold-{wanted['file_format']}.{SUFFIXES[wanted['file_format']]}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ExportJobInput(StrictInput):
    # Its error names the formats, not the value given: that may be text JSON cannot encode.
    file_format = serializers.ChoiceField(
        choices=list(FORMATS),
        error_messages={"invalid_choice": f"Not a format: use one of {', '.join(FORMATS)}."},
    )
    include_auto_accepted = serializers.BooleanField(default=False)
    splits = serializers.RegexField(
        SPLITS,
        required=False,
        allow_null=True,
        help_text="train,dev,test shares, e.g. 0.8,0.1,0.1 (jsonl, layers, hf).",
    )
    seed = serializers.IntegerField(default=0, min_value=0, max_value=2**31)


class ExportJobOutput(serializers.ModelSerializer):
    file_format = serializers.CharField(source="format")
    download = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "file_format",
            "options",
            "status",
            "done",
            "total",
            "problem_count",
            "problems",
            "error",
            "file_name",
            "size",
            "created_at",
            "started_at",
            "finished_at",
            "status_url",
            "download",
        ]

    def get_status_url(self, export) -> str:
        return reverse("api_export_job", args=[export.project.slug, export.pk])

    def get_download(self, export) -> str | None:
        if not export.file:
            return None
        return reverse("api_export_job_file", args=[export.project.slug, export.pk])


class ExportJobListApi(ApiView):
    permission_classes = [IsProjectLead]
    paginated = True

    @extend_schema(responses=ExportJobOutput(many=True), summary="Past exports (leads)")
    def get(self, request, slug):
        return self.paginate(self.project.exports.select_related("project"), ExportJobOutput)

    @extend_schema(
        request=ExportJobInput,
        responses={202: ExportJobOutput},
        summary="Start an export in any format, in the background (leads)",
    )
    def post(self, request, slug):
        given = ExportJobInput(data=request.data)
        given.is_valid(raise_exception=True)
        wanted = given.validated_data
        export = export_request(
            project=self.project,
            user=request.user,
            format=wanted["file_format"],
            include_auto_accepted=wanted["include_auto_accepted"],
            ratios=_ratios(wanted.get("splits")),
            seed=wanted["seed"],
        )
        export.refresh_from_db()  # with the immediate task backend it has run already
        return Response(ExportJobOutput(export).data, status=status.HTTP_202_ACCEPTED)


class ExportJobApi(ApiView):
    permission_classes = [IsProjectLead]

    @extend_schema(responses=ExportJobOutput, summary="One export and its progress (leads)")
    def get(self, request, slug, export_id):
        export = get_object_or_404(self.project.exports.select_related("project"), pk=export_id)
        return Response(ExportJobOutput(export).data)


class ExportJobFileApi(ApiView):
    permission_classes = [IsProjectLead]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download a finished export's file (leads)",
    )
    def get(self, request, slug, export_id):
        export = get_object_or_404(self.project.exports.select_related("project"), pk=export_id)
        return export_file_response(export, actor=request.user)
