"""The gold, streamed, for leads: JSONL (with or without each annotator's layer) and the
casualty table. The other formats are files: `manage.py export_gold` or the export page."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from ..permissions import IsProjectLead
from ..services.export_files import STREAMED, SUFFIXES, gold_stream
from .base import ApiView


class ExportQuery(serializers.Serializer):
    # Not "format": DRF reads ?format= as the choice of its own renderer.
    file_format = serializers.ChoiceField(choices=list(STREAMED), default="jsonl")
    include_auto_accepted = serializers.BooleanField(default=False)
    splits = serializers.RegexField(
        r"^\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?$",
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
        splits = wanted.get("splits")
        lines = gold_stream(
            project=self.project,
            format=wanted["file_format"],
            include_auto_accepted=wanted["include_auto_accepted"],
            ratios=tuple(float(part) for part in splits.split(",")) if splits else None,
            seed=wanted["seed"],
        )
        response = StreamingHttpResponse(lines, content_type=STREAMED[wanted["file_format"]])
        name = f"{self.project.slug}-gold-{wanted['file_format']}.{SUFFIXES[wanted['file_format']]}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
