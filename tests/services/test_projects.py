import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from annotator.models import Assignment, AuditEvent, Label, Membership
from annotator.services import (
    ServiceError,
    membership_remove,
    membership_set,
    project_create,
    project_settings_update,
    projects,
)


def test_project_create_gives_the_default_casualty_labels(db):
    project = project_create(slug="p", name="P")
    assert list(project.labels.values_list("key", "shortcut")) == [
        ("CASUALTY_FIGURE", "c"),
        ("LOCATION", "l"),
        ("ACTOR", "a"),
    ]
    outcome = Label.objects.get(project=project, key="CASUALTY_FIGURE").attribute_schema[0]
    assert (outcome["name"], outcome["kind"], outcome["required"]) == ("outcome", "enum", True)


def test_membership_set_changes_an_existing_role(project, annotator):
    membership_set(project=project, username=annotator.username, role=Membership.Role.LEAD)
    assert Membership.objects.get(user=annotator, project=project).role == "lead"


def test_membership_set_records_who_added_whom_and_role_changes(project, lead, make_user):
    make_user("rima")
    membership_set(project=project, username="rima", role="annotator", actor=lead)
    membership_set(project=project, username="rima", role="annotator", actor=lead)
    membership_set(project=project, username="rima", role="lead", actor=lead)
    events = project.audit_events.filter(
        details__user=Membership.objects.get(user__username="rima").user_id
    ).order_by("id")
    assert [(e.action, e.actor, e.summary) for e in events] == [
        ("member_added", lead, "rima joined as annotator"),
        ("role_changed", lead, "rima: annotator → lead"),
    ]


def test_the_command_line_is_recorded_with_no_actor(project, make_user):
    make_user("rima")
    membership_set(project=project, username="rima", role="annotator")
    event = project.audit_events.get(action=AuditEvent.Action.MEMBER_ADDED)
    assert (event.actor, event.actor_name) == (None, "")


def test_the_last_lead_cannot_become_an_annotator(project, lead):
    with pytest.raises(ServiceError, match="only lead"):
        membership_set(project=project, username="lead", role="annotator", actor=lead)
    assert Membership.objects.get(user=lead).role == "lead"
    assert not project.audit_events.filter(action=AuditEvent.Action.ROLE_CHANGED).exists()


def test_a_lead_is_removed_while_another_lead_remains(project, lead, members):
    [second] = members(Membership.Role.LEAD, "second_lead")
    membership_remove(membership=Membership.objects.get(user=second), actor=lead)
    with pytest.raises(ServiceError, match="only lead"):
        membership_remove(membership=Membership.objects.get(user=lead), actor=lead)
    assert list(project.memberships.values_list("user__username", flat=True)) == ["lead"]
    event = project.audit_events.get(action=AuditEvent.Action.MEMBER_REMOVED)
    assert (event.actor, event.summary) == (lead, "second_lead removed (was lead)")


def test_removing_keeps_the_members_submitted_work(project, lead, annotator, reviewed, pair):
    submitted = Assignment.objects.filter(annotator=pair[0]).count()
    membership_remove(membership=Membership.objects.get(user=pair[0]), actor=lead)
    assert Assignment.objects.filter(annotator=pair[0]).count() == submitted > 0


@pytest.mark.django_db(transaction=True)
def test_two_leads_removing_each_other_at_once_leave_one_lead(project, members, monkeypatch):
    leads = members(Membership.Role.LEAD, "lead_x", "lead_y")
    checked = projects._refuse_if_last_lead

    def check_slowly(*args, **kwargs):
        # Widens the moment between counting the leads and removing one, where both
        # removals would see two leads if they did not take turns.
        checked(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(projects, "_refuse_if_last_lead", check_slowly)
    barrier = threading.Barrier(2)
    outcomes = []

    def remove(actor, other):
        try:
            barrier.wait(timeout=10)
            membership_remove(membership=Membership.objects.get(user=other), actor=actor)
            outcomes.append("removed")
        except ServiceError as refusal:
            outcomes.append(refusal.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(leads[0], leads[1])),
        threading.Thread(target=remove, args=(leads[1], leads[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[1] == "removed" and "only lead" in sorted(outcomes)[0], outcomes
    assert project.memberships.filter(role="lead").count() == 1


def test_settings_are_saved_and_checked(project):
    project_settings_update(
        project=project, values={"content_note": "Distressing.", "break_reminder_minutes": 20}
    )
    project.refresh_from_db()
    assert (project.content_note, project.break_reminder_minutes) == ("Distressing.", 20)
    with pytest.raises(ValidationError):
        project_settings_update(project=project, values={"break_reminder_minutes": -1})
    project.refresh_from_db()
    assert project.break_reminder_minutes == 20
