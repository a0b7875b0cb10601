"""The permission matrix: every route × method × role, HTML, htmx and API, in one table.

Built from the URLconf: a route or an API method without an entry fails the test, so a new
view cannot ship without a decision about who may use it.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from annotator.models import (
    Assignment,
    Document,
    Export,
    GazetteerEntry,
    IgnoredRegion,
    Membership,
    Span,
    SpanLink,
)
from annotator.permissions import SELF_GUARDED_NAMESPACES
from annotator.services import invitation_create, membership_set, project_create

from .test_architecture import is_api_view

ROLES = ["anonymous", "outsider", "annotator", "other_annotator", "other_lead", "lead", "admin"]
LOGIN = 302  # HTML views send anonymous users to the login page
#                               anon  out  annot other  o-lead lead admin
MEMBER_PAGE = [LOGIN, 404, 200, 200, 404, 200, 200]
LEAD_PAGE = [LOGIN, 404, 403, 403, 404, 200, 200]
OWN_PAGE = [LOGIN, 404, 200, 404, 404, 403, 403]
OWN_REDIRECT = [LOGIN, 404, 302, 404, 404, 403, 403]
API_MEMBER = [401, 404, 200, 200, 404, 200, 200]
API_LEAD = [401, 404, 403, 403, 404, 200, 200]
API_OWN = [401, 404, 200, 404, 404, 403, 403]

MATRIX = {
    ("login", "get"): [200, 302, 302, 302, 302, 302, 302],
    ("logout", "post"): [302, 302, 302, 302, 302, 302, 302],
    ("password_change", "get"): [LOGIN, 200, 200, 200, 200, 200, 200],
    ("password_change", "post"): [LOGIN, 400, 400, 400, 400, 400, 400],
    # Anyone may open a link; a member cannot join again, a stranger with no account must
    # fill in the account form (400 when empty), a logged-in non-member joins.
    ("invitation_accept", "get"): [200, 200, 200, 200, 200, 200, 200],
    ("invitation_accept", "post"): [400, 302, 400, 400, 302, 400, 302],
    ("home", "get"): [LOGIN, 200, 200, 200, 200, 200, 200],
    ("project_detail", "get"): MEMBER_PAGE,
    ("project_settings", "get"): LEAD_PAGE,
    ("project_settings", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    # No content note in this world: straight on to the project, or (POST) the next document.
    ("content_note", "get"): [LOGIN, 404, 302, 302, 404, 403, 403],
    ("content_note", "post"): [LOGIN, 404, 302, 302, 404, 403, 403],
    ("member_list", "get"): LEAD_PAGE,
    ("suggestions_settings", "get"): LEAD_PAGE,
    ("suggestions_switch", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("gazetteer_entry_add", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("gazetteer_starter_add", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("gazetteer_entry_edit", "get"): LEAD_PAGE,
    ("gazetteer_entry_edit", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("gazetteer_entry_remove", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("member_role", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("member_remove", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("invitation_create", "post"): LEAD_PAGE,
    ("invitation_revoke", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("document_detail", "get"): LEAD_PAGE,
    ("passage_list", "get"): LEAD_PAGE,
    ("ignored_region_mark", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("ignored_region_unmark", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("document_import", "get"): LEAD_PAGE,
    ("document_import", "post"): LEAD_PAGE,
    ("audit_log", "get"): LEAD_PAGE,
    ("audit_log_csv", "get"): LEAD_PAGE,
    ("export_gold", "get"): LEAD_PAGE,
    ("export_gold", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("export_list", "get"): LEAD_PAGE,
    ("export_file", "get"): LEAD_PAGE,
    ("export_remove", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("review_queue", "get"): LEAD_PAGE,
    ("review_next", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("review_document", "get"): LEAD_PAGE,
    ("review_decision", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("review_finish", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("review_reopen", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("agreement_dashboard", "get"): LEAD_PAGE,
    ("agreement_status", "get"): LEAD_PAGE,
    ("agreement_refresh", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("agreement_documents_csv", "get"): LEAD_PAGE,
    ("agreement_pairs_csv", "get"): LEAD_PAGE,
    ("assignments_release", "post"): [LOGIN, 404, 403, 403, 404, 302, 302],
    ("annotate_next", "post"): [LOGIN, 404, 302, 302, 404, 403, 403],
    ("annotate_document", "get"): OWN_PAGE,
    ("span_create", "post"): [LOGIN, 404, 201, 404, 404, 403, 403],
    ("span_update", "post"): OWN_PAGE,
    ("span_delete", "post"): OWN_PAGE,
    ("span_attributes", "get"): OWN_PAGE,
    ("span_attributes", "post"): OWN_PAGE,
    ("assignment_submit", "post"): OWN_REDIRECT,
    ("assignment_skip", "post"): OWN_REDIRECT,
    ("link_create", "post"): OWN_PAGE,
    ("link_delete", "post"): OWN_PAGE,
    # Not adjudicated in this world: 404 for the owner too (tests/views/test_feedback.py).
    ("assignment_feedback", "get"): [LOGIN, 404, 404, 404, 404, 403, 403],
    ("api_schema", "get"): [401, 200, 200, 200, 200, 200, 200],
    ("api_docs", "get"): [401, 200, 200, 200, 200, 200, 200],
    ("api_project_list", "get"): [401, 200, 200, 200, 200, 200, 200],
    ("api_project_detail", "get"): API_MEMBER,
    ("api_label_list", "get"): API_MEMBER,
    ("api_member_list", "get"): API_LEAD,
    ("api_token_create", "post"): [401, 404, 403, 403, 404, 201, 201],
    ("api_document_list", "get"): API_LEAD,
    ("api_document_import", "post"): API_LEAD,
    ("api_audit_log", "get"): API_LEAD,
    ("api_export", "get"): API_LEAD,
    ("api_export_job_list", "get"): API_LEAD,
    ("api_export_job_list", "post"): [401, 404, 403, 403, 404, 202, 202],
    ("api_export_job", "get"): API_LEAD,
    ("api_export_job_file", "get"): API_LEAD,
    ("api_review_queue", "get"): API_LEAD,
    ("api_review_detail", "get"): API_LEAD,
    ("api_review_decision", "post"): API_LEAD,
    # The world's reviewed document has no gold spans yet: a link cannot be accepted.
    ("api_review_links", "post"): [401, 404, 403, 403, 404, 400, 400],
    ("api_review_finish", "post"): [401, 404, 403, 403, 404, 400, 400],
    ("api_review_reopen", "post"): [401, 404, 403, 403, 404, 400, 400],
    ("api_agreement", "get"): API_LEAD,
    ("api_agreement_refresh", "post"): [401, 404, 403, 403, 404, 202, 202],
    ("api_agreement_document_list", "get"): API_LEAD,
    ("api_document_detail", "get"): API_LEAD,
    ("api_document_assignment_list", "get"): API_LEAD,
    ("api_document_span_list", "get"): API_LEAD,
    ("api_assignment_list", "get"): [401, 404, 200, 200, 404, 403, 403],
    ("api_assignment_next", "post"): [401, 404, 200, 200, 404, 403, 403],
    ("api_assignment_detail", "get"): API_OWN,
    ("api_span_list", "get"): API_OWN,
    ("api_span_list", "post"): [401, 404, 201, 404, 404, 403, 403],
    ("api_span_detail", "get"): API_OWN,
    ("api_span_detail", "patch"): API_OWN,
    ("api_span_detail", "delete"): [401, 404, 204, 404, 404, 403, 403],
    ("api_assignment_submit", "post"): API_OWN,
    ("api_assignment_skip", "post"): API_OWN,
    ("api_link_list", "get"): API_OWN,
    ("api_link_list", "post"): [401, 404, 201, 404, 404, 403, 403],
    ("api_link_detail", "delete"): [401, 404, 204, 404, 404, 403, 403],
}
BODIES = {
    "span_create": {"label": "ACTOR", "start": 0, "end": 4},
    "ignored_region_mark": {"start": 0, "end": 4, "reason": "byline"},
    "project_settings": {"content_note": "", "break_reminder_minutes": 45},
    "gazetteer_entry_add": {"label": "ACTOR", "name": "Hezbollah"},
    "gazetteer_entry_edit": {"label": "ACTOR", "name": "Russian forces"},
    "span_update": {"label": "ACTOR"},
    "span_attributes": {"role": "other"},
    "assignment_skip": {"reason": "other"},
    "review_decision": {"version": 0, "action": "reject", "group": 0},
    "api_review_decision": {"version": 0, "action": "reject", "group": 0},
    "api_review_links": {
        "version": 0,
        "action": "accept",
        "source": 1,
        "target": 2,
        "kind": "located_at",
    },
    "api_review_finish": {"version": 0},
    "api_review_reopen": {"version": 0},
    "review_finish": {"version": 0},
    "export_gold": {"format": "jsonl"},
    "member_role": {"role": "annotator"},
    "invitation_create": {"role": "annotator", "valid_days": "7"},
    "api_export_job_list": {"file_format": "jsonl"},
    "review_reopen": {"version": 0},
    "api_token_create": {"username": "annotator1"},
    "api_document_import": {"documents": [{"text": "Another report"}]},
    "api_span_list": {"label": "ACTOR", "start": 0, "end": 4},
    "api_span_detail": {"label": "ACTOR"},
    "api_assignment_skip": {"reason": "off topic"},
    # Links need the world's span ids: a function of them.
    "link_create": lambda ids: {
        "source": ids["figure_id"],
        "target": ids["actor_id"],
        "kind": "perpetrator",
    },
    "api_link_list": lambda ids: {
        "source": ids["figure_id"],
        "target": ids["actor_id"],
        "kind": "perpetrator",
    },
}


def route_names() -> dict[str, object]:
    names = {}
    for pattern in _leaf_patterns(get_resolver().url_patterns):
        names[pattern.name] = pattern.callback
    return names


def _leaf_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SELF_GUARDED_NAMESPACES:
                continue
            yield from _leaf_patterns(pattern.url_patterns)
        else:
            yield pattern


def test_every_route_and_api_method_has_an_entry():
    routes = route_names()
    assert set(routes) == {name for name, _ in MATRIX}
    for name, view in routes.items():
        if is_api_view(view):
            methods = {
                method
                for method in view.cls.http_method_names
                if hasattr(view.cls, method) and method not in ("options", "head")
            }
            assert methods == {m for n, m in MATRIX if n == name}, name


@pytest.fixture
def world(project, lead, annotator, outsider, make_user):
    document = Document.objects.create(
        project=project, text="Some text here and there", sha256="0" * 64
    )
    location = project.labels.get(key="LOCATION")
    mine = Assignment.objects.create(document=document, annotator=annotator)
    span = Span.objects.create(assignment=mine, label=location, start=5, end=9)
    figure = Span.objects.create(
        assignment=mine,
        label=project.labels.get(key="CASUALTY_FIGURE"),
        start=10,
        end=14,
        attributes={"outcome": "killed"},
    )
    actor = Span.objects.create(
        assignment=mine, label=project.labels.get(key="ACTOR"), start=19, end=24
    )
    link = SpanLink.objects.create(assignment=mine, source=figure, target=span, kind="located_at")
    other = make_user("other")
    membership_set(project=project, username="other", role=Membership.Role.ANNOTATOR)
    theirs = Assignment.objects.create(document=document, annotator=other)
    Span.objects.create(assignment=theirs, label=location, start=10, end=14)
    # A second document both annotators submitted, with one conflict: for the review routes.
    reviewed = Document.objects.create(project=project, text="Other text here", sha256="1" * 64)
    for user, start in ((annotator, 0), (other, 6)):
        done = Assignment.objects.create(
            document=reviewed,
            annotator=user,
            status=Assignment.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        Span.objects.create(assignment=done, label=location, start=start, end=start + 4)
    export = Export.objects.create(project=project, format="jsonl", status=Export.Status.DONE)
    export.file.save("gold.jsonl", ContentFile(b"{}\n"))
    invitation, token = invitation_create(project=project, role="annotator", created_by=lead)
    elsewhere = project_create(slug="elsewhere", name="Elsewhere")
    other_lead = make_user("other_lead")
    membership_set(project=elsewhere, username="other_lead", role=Membership.Role.LEAD)
    users = {
        "lead": lead,
        "annotator": annotator,
        "outsider": outsider,
        "other_annotator": other,
        "other_lead": other_lead,
        "admin": make_user("root", is_superuser=True, is_staff=True),
    }
    values = {
        "slug": project.slug,
        "document_id": document.id,
        "assignment_id": mine.id,
        "span_id": span.id,
        "figure_id": figure.id,
        "actor_id": actor.id,
        "link_id": link.id,
        "reviewed_document_id": reviewed.id,
        "export_id": export.id,
        "membership_id": Membership.objects.get(user=annotator).id,
        "invitation_id": invitation.id,
        "token": token,
        "entry_id": GazetteerEntry.objects.create(
            project=project, label=project.labels.get(key="ACTOR"), name="Russia"
        ).id,
        "region_id": IgnoredRegion.objects.create(document=document, start=14, end=18).id,
    }
    return users, values


@pytest.mark.parametrize(("route", "method"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(route, method, role, world, client):
    users, values = world
    if role != "anonymous":
        client.force_login(users[role])
    url = reverse(route, kwargs=_kwargs(route, values))
    body = BODIES.get(route, {}) if method != "get" else {}
    if callable(body):
        body = body(values)
    if route.startswith("api_") and method != "get":
        response = getattr(client, method)(url, body, content_type="application/json")
    else:
        response = getattr(client, method)(url, body)
    expected = MATRIX[(route, method)][ROLES.index(role)]
    assert response.status_code == expected, response.content[:300]


def _kwargs(route, values):
    pattern = next(p for p in _leaf_patterns(get_resolver().url_patterns) if p.name == route)
    wanted = set(pattern.pattern.regex.groupindex)
    if route.startswith(("review_", "api_review_")):
        values = {**values, "document_id": values["reviewed_document_id"]}
    return {key: value for key, value in values.items() if key in wanted}
