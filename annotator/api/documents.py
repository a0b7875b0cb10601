import io
import json

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from .. import services
from ..models import Span
from ..permissions import IsProjectLead, documents_visible_to
from .base import ApiView
from .parsers import StrictJSONParser
from .serializers import (
    DocumentImportInput,
    DocumentOutput,
    DocumentSummaryOutput,
    ImportReportOutput,
    LeadAssignmentOutput,
    LeadSpanOutput,
)

DOCUMENT_FILTERS = [
    OpenApiParameter("external_id", str, description="Exactly this external id."),
    OpenApiParameter("title_contains", str, description="Title contains this (any case)."),
]


class DocumentListApi(ApiView):
    permission_classes = [IsProjectLead]
    paginated = True
    query_parameters = frozenset({"external_id", "title_contains"})

    @extend_schema(
        parameters=DOCUMENT_FILTERS,
        responses=DocumentSummaryOutput(many=True),
        summary="The project's documents (leads)",
    )
    def get(self, request, slug):
        documents = documents_visible_to(request.user, self.project)
        # Each filter maps to one fixed lookup; the parameter's value is only ever a value.
        if "external_id" in request.query_params:
            documents = documents.filter(external_id=_storable(request, "external_id"))
        if "title_contains" in request.query_params:
            documents = documents.filter(title__icontains=_storable(request, "title_contains"))
        return self.paginate(documents, DocumentSummaryOutput)


def _storable(request, name: str) -> str:
    value = request.query_params[name]
    if "\x00" in value or len(value) > 300:
        raise ValidationError({name: ["Not a valid value."]})
    return value


class DocumentDetailApi(ApiView):
    permission_classes = [IsProjectLead]

    @extend_schema(responses=DocumentOutput, summary="A document with its text (leads)")
    def get(self, request, slug, document_id):
        return Response(DocumentOutput(self._document(document_id)).data)

    def _document(self, document_id):
        document = (
            documents_visible_to(self.request.user, self.project).filter(pk=document_id).first()
        )
        if document is None:
            raise NotFound("No such document.")
        return document


class DocumentImportApi(ApiView):
    """Import through the same service as the CLI and the upload page, with the same report:
    a JSON list of documents, or files as multipart/form-data (field `files`)."""

    permission_classes = [IsProjectLead]
    parser_classes = [StrictJSONParser, MultiPartParser]

    @extend_schema(
        request={
            "application/json": DocumentImportInput,
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    "skip_invalid": {"type": "boolean"},
                },
                "required": ["files"],
            },
        },
        responses={200: ImportReportOutput, 400: ImportReportOutput},
        summary="Import documents (leads)",
    )
    def post(self, request, slug):
        if request.content_type.startswith("multipart/"):
            uploads = request.FILES.getlist("files")
            if not uploads:
                raise ValidationError({"files": ["Attach one or more files."]})
            files = [(upload.name, upload.file) for upload in uploads]
            skip_invalid = request.data.get("skip_invalid") in ("true", "1", "on", True)
        else:
            data = DocumentImportInput(data=request.data)
            data.is_valid(raise_exception=True)
            files = [("request.jsonl", _as_jsonl(data.validated_data["documents"]))]
            skip_invalid = data.validated_data["skip_invalid"]
        report = services.document_import(
            project=self.project, files=files, skip_invalid=skip_invalid, actor=request.user
        )
        return Response(
            ImportReportOutput(report).data,
            status=status.HTTP_200_OK if report.committed else status.HTTP_400_BAD_REQUEST,
        )


def _as_jsonl(documents: list[dict]) -> io.BytesIO:
    """The documents as the JSONL the importer reads, one a line: errors name the N-th
    document as request.jsonl:N."""
    # ASCII-escaped, so a lone surrogate reaches the importer's checks as "\\udXXX".
    lines = (json.dumps(document) for document in documents)
    return io.BytesIO("\n".join(lines).encode("ascii"))


class DocumentAssignmentListApi(DocumentDetailApi):
    permission_classes = [IsProjectLead]
    paginated = True

    @extend_schema(
        responses=LeadAssignmentOutput(many=True),
        summary="Every annotator's assignment of a document (leads)",
    )
    def get(self, request, slug, document_id):
        document = self._document(document_id)
        return self.paginate(document.assignments.select_related("annotator"), LeadAssignmentOutput)


class DocumentSpanListApi(DocumentDetailApi):
    permission_classes = [IsProjectLead]
    paginated = True

    @extend_schema(
        responses=LeadSpanOutput(many=True), summary="Every annotator's spans of a document (leads)"
    )
    def get(self, request, slug, document_id):
        document = self._document(document_id)
        spans = Span.objects.filter(assignment__document=document).select_related(
            "label", "assignment__annotator", "assignment__document"
        )
        return self.paginate(spans, LeadSpanOutput)
