"""Every route answers with the security headers, whoever asks and whatever the answer.

The routes come from the URLconf, the admin's included: a route whose path parameters cannot be
filled from the small real project below fails the test, so a new view is covered (or the test
told how to reach it) the day it is added. Pages, redirects, refusals, API JSON and file
downloads alike must carry an enforced Content-Security-Policy without inline script or eval,
nosniff, a same-origin referrer policy and X-Frame-Options DENY.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize

from annotator.models import (
    Assignment,
    Export,
    GazetteerEntry,
    IgnoredRegion,
    Membership,
    Project,
)
from annotator.services import invitation_create
from annotator.services.export_jobs import export_request

from .annotating import FULL, PARTIAL, add_reports, adjudicate, annotate

ROLES = ["anonymous", "annotator", "lead", "admin"]
STRICT_REFERRER_POLICIES = {"same-origin", "no-referrer", "strict-origin"}


def routes(patterns=None, chain=()):
    """Each route as the chain of patterns leading to it, outermost first."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, (*chain, pattern))
        else:
            yield (*chain, pattern)


def route_text(chain) -> str:
    return "".join(str(pattern.pattern) for pattern in chain)


def url_for(chain, values: dict) -> str:
    """The route's URL with its parameters filled from `values`; in a model's admin the
    `object_id` is that model's first object."""
    parts = []
    for pattern in chain:
        template, names = normalize(pattern.pattern.regex.pattern)[0]
        filled = {}
        for name in names:
            if name == "object_id" and (model := admin_model(parts)):
                first = model.objects.order_by("pk").first()
                filled[name] = first.pk if first else 0
            elif name in values:
                filled[name] = values[name]
            else:
                raise AssertionError(
                    f"{route_text(chain)}: no value for the path parameter {name!r}; "
                    "add one to `values` in tests/test_security_headers.py"
                )
        parts.append(template % filled)
    return "/" + "".join(parts)


def admin_model(parts: list[str]):
    """The model whose admin a URL is in, from its last part (`<app_label>/<model_name>/`)."""
    names = parts[-1].strip("/").split("/") if parts else []
    if len(names) != 2:
        return None
    try:
        return apps.get_model(*names)
    except LookupError:
        return None


def header_problems(response) -> list[str]:
    problems = []
    policy = response.headers.get("Content-Security-Policy")
    if not policy:
        problems.append("no enforced Content-Security-Policy")
    else:
        directives = {
            name: values
            for name, *values in (part.split() for part in policy.split(";") if part.strip())
        }
        scripts = directives.get("script-src", directives.get("default-src", []))
        if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or not scripts:
            problems.append(f"script-src allows inline script or eval: {scripts}")
        if "'unsafe-eval'" in policy:
            problems.append("'unsafe-eval' in the policy")
        if directives.get("frame-ancestors") != ["'none'"]:
            problems.append("frame-ancestors is not 'none'")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("Referrer-Policy") not in STRICT_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {response.headers.get('Referrer-Policy')!r}")
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options {response.headers.get('X-Frame-Options')!r}")
    if response.headers.get("Cross-Origin-Opener-Policy") != "same-origin":
        problems.append(
            f"Cross-Origin-Opener-Policy {response.headers.get('Cross-Origin-Opener-Policy')!r}"
        )
    return problems


@pytest.fixture
def world(project, pair, lead, make_user, django_capture_on_commit_callbacks):
    """Two reports adjudicated (gold to export), one waiting for review, one assigned and open;
    an export done; an invitation out; an admin."""
    documents = add_reports(project, 3)
    for _ in documents:
        annotate(project, pair[0], FULL, commit=django_capture_on_commit_callbacks)
        annotate(project, pair[1], PARTIAL, commit=django_capture_on_commit_callbacks)
    for document in documents[:2]:
        adjudicate(document, lead)
    add_reports(project, 1)
    open_assignment = annotate(project, pair[0], FULL, submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(project=project, user=lead, format="jsonl")
    export.refresh_from_db()
    assert export.status == Export.Status.DONE, export.error
    invitation, token = invitation_create(
        project=project, role=Membership.Role.ANNOTATOR, created_by=lead
    )
    admin = make_user("root", is_superuser=True, is_staff=True)
    users = {"annotator": pair[0], "lead": lead, "admin": admin}
    values = {
        "slug": project.slug,
        "document_id": documents[2].pk,
        "assignment_id": open_assignment.pk,
        "span_id": open_assignment.spans.first().pk,
        "link_id": 1,  # the link routes take POST or DELETE only: any id draws the headers
        "export_id": export.pk,
        "membership_id": Membership.objects.get(project=project, user=pair[0]).pk,
        "invitation_id": invitation.pk,
        "token": token,
        "entry_id": GazetteerEntry.objects.create(
            project=project, label=project.labels.get(key="ACTOR"), name="Russia"
        ).pk,
        "region_id": IgnoredRegion.objects.create(document=documents[2], start=0, end=1).pk,
        "app_label": "annotator",
        "content_type_id": ContentType.objects.get_for_model(Project).pk,
        "object_id": project.pk,
        "id": get_user_model().objects.get(username="lead").pk,
        "url": "no-such-page/",
    }
    return users, values


@pytest.mark.parametrize("role", ROLES)
def test_every_route_sends_the_security_headers(role, world, client):
    users, values = world
    if role != "anonymous":
        client.force_login(users[role])
    failures, statuses, visited = [], set(), 0
    for chain in routes():
        url = url_for(chain, values)
        for method in ("get", "head"):
            response = getattr(client, method)(url)
            statuses.add(response.status_code)
            visited += 1
            failures += [
                f"{method.upper()} {url} ({response.status_code}): {problem}"
                for problem in header_problems(response)
            ]
    assert failures == []
    # The walk reached the app, the API and the admin, and saw more than one kind of answer.
    assert visited > 200
    assert {302, 405} <= statuses
    assert 200 in statuses or role == "anonymous"


def test_the_walk_reaches_pages_downloads_and_the_api_with_real_objects(world, client):
    """Guards the walk itself: with the parameters it fills, the lead gets real answers."""
    users, values = world
    client.force_login(users["lead"])
    by_route = {route_text(chain): url_for(chain, values) for chain in routes()}
    pages = [
        "projects/<slug:slug>/review/<int:document_id>/",
        "projects/<slug:slug>/export/<int:export_id>/file/",
        "api/projects/<slug:slug>/exports/<int:export_id>/file/",
        "api/projects/<slug:slug>/documents/<int:document_id>/",
        "projects/<slug:slug>/agreement/documents.csv",
    ]
    for route in pages:
        response = client.get(by_route[route])
        assert response.status_code == 200, route
    download = client.get(by_route["projects/<slug:slug>/export/<int:export_id>/file/"])
    assert "attachment" in download.headers["Content-Disposition"]
    assert header_problems(download) == []
    client.force_login(users["annotator"])
    assignment = Assignment.objects.get(pk=values["assignment_id"])
    response = client.get(by_route["projects/<slug:slug>/assignments/<int:assignment_id>/"])
    assert response.status_code == 200
    assert assignment.document.text[:10] in response.text
    client.force_login(users["admin"])
    change = client.get(by_route["admin/annotator/document/<path:object_id>/change/"])
    assert change.status_code == 200


def test_static_files_carry_the_policy(client, db):
    # An SVG opened on its own is a document that could run script: the policy covers it too.
    response = client.get("/static/img/favicon.svg")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_policy_is_enforced_not_report_only(client, db):
    response = client.get("/login/")
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
