from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import permissions
from .forms import LoginForm
from .views import (
    accounts,
    agreement,
    annotate,
    audit,
    documents,
    exports,
    feedback,
    links,
    members,
    passages,
    projects,
    reviews,
    settings,
    suggestions,
    welfare,
)

ASSIGNMENT = "projects/<slug:slug>/assignments/<int:assignment_id>/"
AGREEMENT = "projects/<slug:slug>/agreement/"
REVIEW = "projects/<slug:slug>/review/<int:document_id>/"
EXPORT = "projects/<slug:slug>/export/"
MEMBERS = "projects/<slug:slug>/members/"
SUGGESTIONS = "projects/<slug:slug>/suggestions/"

urlpatterns = [
    path(
        "login/",
        permissions.public(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logout/", permissions.authenticated(auth_views.LogoutView.as_view()), name="logout"),
    path("account/password/", accounts.password_change, name="password_change"),
    # The only way in for someone new: there is no sign-up page.
    path("invite/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("", projects.home, name="home"),
    path("projects/<slug:slug>/", projects.project_detail, name="project_detail"),
    path("projects/<slug:slug>/settings/", settings.project_settings, name="project_settings"),
    path("projects/<slug:slug>/content-note/", welfare.content_note, name="content_note"),
    path(MEMBERS, members.member_list, name="member_list"),
    path(MEMBERS + "<int:membership_id>/role/", members.member_role, name="member_role"),
    path(MEMBERS + "<int:membership_id>/remove/", members.member_remove, name="member_remove"),
    path(MEMBERS + "invitations/", members.invitation_create, name="invitation_create"),
    path(
        MEMBERS + "invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
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
    path(
        "projects/<slug:slug>/documents/<int:document_id>/ignored/",
        documents.ignored_region_mark,
        name="ignored_region_mark",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/ignored/<int:region_id>/remove/",
        documents.ignored_region_unmark,
        name="ignored_region_unmark",
    ),
    path("projects/<slug:slug>/passages/", passages.passage_list, name="passage_list"),
    path(SUGGESTIONS, suggestions.suggestions_settings, name="suggestions_settings"),
    path(SUGGESTIONS + "switch/", suggestions.suggestions_switch, name="suggestions_switch"),
    path(SUGGESTIONS + "gazetteer/", suggestions.gazetteer_entry_add, name="gazetteer_entry_add"),
    path(
        SUGGESTIONS + "gazetteer/starter/",
        suggestions.gazetteer_starter_add,
        name="gazetteer_starter_add",
    ),
    path(
        SUGGESTIONS + "gazetteer/<int:entry_id>/",
        suggestions.gazetteer_entry_edit,
        name="gazetteer_entry_edit",
    ),
    path(
        SUGGESTIONS + "gazetteer/<int:entry_id>/delete/",
        suggestions.gazetteer_entry_remove,
        name="gazetteer_entry_remove",
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
    path("projects/<slug:slug>/audit/", audit.audit_log, name="audit_log"),
    path("projects/<slug:slug>/audit/log.csv", audit.audit_log_csv, name="audit_log_csv"),
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
    path(ASSIGNMENT + "links/", links.link_create, name="link_create"),
    path(ASSIGNMENT + "links/<int:link_id>/delete/", links.link_delete, name="link_delete"),
    path("api/", include("annotator.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "annotator.views.errors.page_not_found"
handler500 = "annotator.views.errors.server_error"
