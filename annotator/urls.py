from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import permissions
from .views import agreement, annotate, documents, exports, feedback, projects, reviews

ASSIGNMENT = "projects/<slug:slug>/assignments/<int:assignment_id>/"
AGREEMENT = "projects/<slug:slug>/agreement/"
REVIEW = "projects/<slug:slug>/review/<int:document_id>/"
EXPORT = "projects/<slug:slug>/export/"

urlpatterns = [
    path(
        "login/",
        permissions.public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", permissions.authenticated(auth_views.LogoutView.as_view()), name="logout"),
    path("", projects.home, name="home"),
    path("projects/<slug:slug>/", projects.project_detail, name="project_detail"),
    path(
        "projects/<slug:slug>/documents/import/",
        documents.document_import,
        name="document_import",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/",
        documents.document_detail,
        name="document_detail",
    ),
    path(AGREEMENT, agreement.agreement_dashboard, name="agreement_dashboard"),
    path(AGREEMENT + "status/", agreement.agreement_status, name="agreement_status"),
    path(AGREEMENT + "refresh/", agreement.agreement_refresh, name="agreement_refresh"),
    path(
        AGREEMENT + "documents.csv",
        agreement.agreement_documents_csv,
        name="agreement_documents_csv",
    ),
    path(AGREEMENT + "pairs.csv", agreement.agreement_pairs_csv, name="agreement_pairs_csv"),
    path(EXPORT, exports.export_gold, name="export_gold"),
    path(EXPORT + "list/", exports.export_list, name="export_list"),
    path(EXPORT + "<int:export_id>/file/", exports.export_file, name="export_file"),
    path(EXPORT + "<int:export_id>/remove/", exports.export_remove, name="export_remove"),
    path("projects/<slug:slug>/review/", reviews.review_queue, name="review_queue"),
    path("projects/<slug:slug>/review/next/", reviews.review_next, name="review_next"),
    path(REVIEW, reviews.review_document, name="review_document"),
    path(REVIEW + "decide/", reviews.review_decision, name="review_decision"),
    path(REVIEW + "finish/", reviews.review_done, name="review_finish"),
    path(REVIEW + "reopen/", reviews.review_reopening, name="review_reopen"),
    path("projects/<slug:slug>/next/", annotate.annotate_next, name="annotate_next"),
    path(
        "projects/<slug:slug>/assignments/release/",
        annotate.assignments_release,
        name="assignments_release",
    ),
    path(ASSIGNMENT, annotate.annotate_document, name="annotate_document"),
    path(ASSIGNMENT + "spans/", annotate.span_create, name="span_create"),
    path(ASSIGNMENT + "spans/<int:span_id>/", annotate.span_update, name="span_update"),
    path(ASSIGNMENT + "spans/<int:span_id>/delete/", annotate.span_delete, name="span_delete"),
    path(
        ASSIGNMENT + "spans/<int:span_id>/attributes/",
        annotate.span_attributes,
        name="span_attributes",
    ),
    path(ASSIGNMENT + "submit/", annotate.assignment_submit, name="assignment_submit"),
    path(ASSIGNMENT + "skip/", annotate.assignment_skip, name="assignment_skip"),
    path(ASSIGNMENT + "feedback/", feedback.assignment_feedback, name="assignment_feedback"),
    path("api/", include("annotator.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "annotator.views.errors.page_not_found"
