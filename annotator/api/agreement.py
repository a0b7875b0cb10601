"""Agreement figures for leads. Annotators get none of them: seeing how others marked a document
would bias their own work before adjudication."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from .. import services
from ..models import Document, ProjectAgreement
from ..permissions import IsProjectLead
from .base import ApiView


class RefreshOutput(serializers.Serializer):
    queued = serializers.BooleanField(source="refresh_queued")
    running = serializers.BooleanField(source="refresh_running")
    done = serializers.IntegerField(source="refresh_done")
    total = serializers.IntegerField(source="refresh_total")


class AgreementOutput(serializers.Serializer):
    computed_at = serializers.DateTimeField(allow_null=True)
    refresh = RefreshOutput(source="*")
    figures = serializers.JSONField(
        help_text=(
            "The project's figures, as on the dashboard: documents, tokens, spans; f1.exact and "
            "f1.overlap (micro, macro, low/high of the 95% bootstrap interval over documents); "
            "unitizing (alpha, characters, thresholds); tokens_agreement (alpha, kappa_name, "
            "kappa); labels, pairs, annotators, disagreements, confusion, attributes, histogram, "
            "weeks. An undefined coefficient is null. Empty until a document has two submitted "
            "annotations."
        )
    )


class DocumentAgreementOutput(serializers.Serializer):
    document = serializers.IntegerField(source="id")
    external_id = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    annotators = serializers.IntegerField(source="agreement.annotators")
    exact_f1 = serializers.FloatField(source="agreement.score")
    disagreements = serializers.IntegerField(source="agreement.disagreements")
    submitted_at = serializers.DateTimeField(source="agreement.submitted_at")


class AgreementApi(ApiView):
    permission_classes = [IsProjectLead]

    @extend_schema(responses=AgreementOutput, summary="The project's agreement figures (leads)")
    def get(self, request, slug):
        agreement, _ = ProjectAgreement.objects.get_or_create(project=self.project)
        return Response(AgreementOutput(agreement).data)


class AgreementRefreshApi(ApiView):
    permission_classes = [IsProjectLead]

    @extend_schema(
        request=None,
        responses={202: AgreementOutput},
        summary="Refresh the figures from the stored document tallies (leads)",
    )
    def post(self, request, slug):
        services.agreement_refresh_request(self.project, force=True)
        agreement = ProjectAgreement.objects.get(project=self.project)
        return Response(AgreementOutput(agreement).data, status=status.HTTP_202_ACCEPTED)


class AgreementDocumentListApi(ApiView):
    permission_classes = [IsProjectLead]
    paginated = True

    @extend_schema(
        responses=DocumentAgreementOutput(many=True),
        summary="Each document's agreement, in the order of document ids (leads)",
    )
    def get(self, request, slug):
        documents = Document.objects.filter(
            project=self.project, agreement__isnull=False
        ).select_related("agreement")
        return self.paginate(documents, DocumentAgreementOutput)
