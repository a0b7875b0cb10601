from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ..permissions import api_view
from . import agreement, annotate, audit, documents, exports, links, projects, reviews

PROJECT = "projects/<slug:slug>/"
ASSIGNMENT = PROJECT + "assignments/<int:assignment_id>/"
DOCUMENT = PROJECT + "documents/<int:document_id>/"
REVIEW = PROJECT + "review/<int:document_id>/"
EXPORT = PROJECT + "exports/<int:export_id>/"

urlpatterns = [
    path("schema/", api_view(SpectacularAPIView), name="api_schema"),
    path("docs/", api_view(SpectacularSwaggerSplitView, url_name="api_schema"), name="api_docs"),
    path("projects/", api_view(projects.ProjectListApi), name="api_project_list"),
    path(PROJECT, api_view(projects.ProjectDetailApi), name="api_project_detail"),
    path(PROJECT + "labels/", api_view(projects.LabelListApi), name="api_label_list"),
    path(PROJECT + "members/", api_view(projects.MemberListApi), name="api_member_list"),
    path(PROJECT + "tokens/", api_view(projects.TokenCreateApi), name="api_token_create"),
    path(PROJECT + "documents/", api_view(documents.DocumentListApi), name="api_document_list"),
    path(PROJECT + "audit/", api_view(audit.AuditLogApi), name="api_audit_log"),
    path(PROJECT + "export/", api_view(exports.ExportApi), name="api_export"),
    path(PROJECT + "exports/", api_view(exports.ExportJobListApi), name="api_export_job_list"),
    path(EXPORT, api_view(exports.ExportJobApi), name="api_export_job"),
    path(EXPORT + "file/", api_view(exports.ExportJobFileApi), name="api_export_job_file"),
    path(PROJECT + "review/", api_view(reviews.ReviewQueueApi), name="api_review_queue"),
    path(REVIEW, api_view(reviews.ReviewDetailApi), name="api_review_detail"),
    path(REVIEW + "decisions/", api_view(reviews.ReviewDecisionApi), name="api_review_decision"),
    path(REVIEW + "links/", api_view(reviews.ReviewLinkDecisionApi), name="api_review_links"),
    path(REVIEW + "finish/", api_view(reviews.ReviewFinishApi), name="api_review_finish"),
    path(REVIEW + "reopen/", api_view(reviews.ReviewReopenApi), name="api_review_reopen"),
    path(PROJECT + "agreement/", api_view(agreement.AgreementApi), name="api_agreement"),
    path(
        PROJECT + "agreement/refresh/",
        api_view(agreement.AgreementRefreshApi),
        name="api_agreement_refresh",
    ),
    path(
        PROJECT + "agreement/documents/",
        api_view(agreement.AgreementDocumentListApi),
        name="api_agreement_document_list",
    ),
    path(
        PROJECT + "documents/import/",
        api_view(documents.DocumentImportApi),
        name="api_document_import",
    ),
    path(DOCUMENT, api_view(documents.DocumentDetailApi), name="api_document_detail"),
    path(
        DOCUMENT + "assignments/",
        api_view(documents.DocumentAssignmentListApi),
        name="api_document_assignment_list",
    ),
    path(
        DOCUMENT + "spans/", api_view(documents.DocumentSpanListApi), name="api_document_span_list"
    ),
    path(
        PROJECT + "assignments/", api_view(annotate.AssignmentListApi), name="api_assignment_list"
    ),
    path(PROJECT + "next/", api_view(annotate.AssignmentNextApi), name="api_assignment_next"),
    path(ASSIGNMENT, api_view(annotate.AssignmentDetailApi), name="api_assignment_detail"),
    path(ASSIGNMENT + "spans/", api_view(annotate.SpanListApi), name="api_span_list"),
    path(
        ASSIGNMENT + "spans/<int:span_id>/",
        api_view(annotate.SpanDetailApi),
        name="api_span_detail",
    ),
    path(
        ASSIGNMENT + "submit/", api_view(annotate.AssignmentSubmitApi), name="api_assignment_submit"
    ),
    path(ASSIGNMENT + "skip/", api_view(annotate.AssignmentSkipApi), name="api_assignment_skip"),
    path(ASSIGNMENT + "links/", api_view(links.LinkListApi), name="api_link_list"),
    path(
        ASSIGNMENT + "links/<int:link_id>/", api_view(links.LinkDetailApi), name="api_link_detail"
    ),
]
