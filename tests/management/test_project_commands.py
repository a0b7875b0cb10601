from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from annotator.models import Assignment, Document, Membership, Project, Span


def call(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_project_with_default_labels(db):
    out = call("create_project", "idlib-2019", "--name", "Idlib 2019")
    assert "labels CASUALTY_FIGURE, LOCATION, ACTOR" in out
    project = Project.objects.get(slug="idlib-2019")
    assert (project.name, project.annotators_per_document) == ("Idlib 2019", 2)


def test_create_project_refuses_a_taken_or_bad_slug(project):
    with pytest.raises(CommandError, match="already exists"):
        call("create_project", project.slug, "--name", "Again")
    with pytest.raises(CommandError, match="slug:"):
        call("create_project", "not a slug!", "--name", "Bad")


def test_add_member_sets_and_changes_roles(project, make_user):
    make_user("volunteer")
    call("add_member", project.slug, "volunteer", "--role", "annotator")
    call("add_member", project.slug, "volunteer", "--role", "lead")
    assert Membership.objects.get(user__username="volunteer").role == "lead"


def test_add_member_refuses_unknown_user_or_project(project):
    with pytest.raises(CommandError, match="no user 'ghost'"):
        call("add_member", project.slug, "ghost", "--role", "lead")
    with pytest.raises(CommandError, match="no project with slug 'nope'"):
        call("add_member", "nope", "ghost", "--role", "lead")


def test_seed_demo_creates_project_users_and_prints_passwords_once(db):
    out = call("seed_demo")
    assert "5 imported" in out
    assert "Blur text" in Project.objects.get(slug="syria-casualties").content_note
    for username in ("lead", "annotator1", "annotator2"):
        password = next(
            line.split()[1] for line in out.splitlines() if line.strip().startswith(username + " ")
        )
        login = RequestFactory().post("/login/")  # the login throttle needs the request
        assert authenticate(login, username=username, password=password) is not None
    assert "annotator1 and annotator2 submitted 3 articles" in out
    again = call("seed_demo")
    assert "5 duplicates skipped" in again
    assert "Demo users exist already" in again
    assert Document.objects.count() == 5
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"lead": "lead", "annotator1": "annotator", "annotator2": "annotator"}


def test_seed_demo_gives_both_annotators_submitted_work_that_disagrees(db):
    call("seed_demo")
    submitted = Assignment.objects.filter(status="submitted")
    assert submitted.count() == 6
    first = Document.objects.get(source_name="000_464490955c4b34cb.txt")

    def spans(username):
        return {
            (first.text[s.start : s.end], s.label.key)
            for s in Span.objects.filter(
                assignment__document=first, assignment__annotator__username=username
            )
        }

    one, two = spans("annotator1"), spans("annotator2")
    assert ("at least 16 civilians", "CASUALTY_FIGURE") in one
    assert ("16 civilians", "CASUALTY_FIGURE") in two  # a boundary disagreement
    assert ("Russia", "LOCATION") in two and ("Russia", "ACTOR") in one  # a label one
    assert len(one & two) >= 10
    # The other two articles are left for a person trying the demo.
    assert Document.objects.exclude(assignments__isnull=False).count() == 2
