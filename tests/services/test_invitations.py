import hashlib
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from annotator.models import AuditEvent, Invitation, Membership
from annotator.services import (
    AccountRejected,
    InvitationUnusable,
    ServiceError,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
)

GOOD_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def invite(project, lead):
    def make(**options):
        options.setdefault("role", Membership.Role.ANNOTATOR)
        return invitation_create(project=project, created_by=lead, **options)

    return make


def actions(project) -> list[str]:
    return list(project.audit_events.order_by("id").values_list("action", flat=True))


def test_only_the_tokens_hash_is_stored(invite):
    invitation, token = invite(note="Rima, Aleppo volunteers")
    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.expires_at - timezone.now() == pytest.approx(
        timedelta(days=7), abs=timedelta(minutes=1)
    )


def test_each_invitation_has_its_own_token(invite):
    tokens = {invite()[1] for _ in range(5)}
    assert len(tokens) == 5


def test_creating_an_invitation_is_audited(project, invite, lead):
    invite(note="Rima", role=Membership.Role.LEAD)
    event = project.audit_events.get(action=AuditEvent.Action.INVITATION_CREATED)
    assert (event.actor, event.summary) == (lead, "Invitation as lead for Rima")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"role": "admin"}, "role"),
        ({"valid_for": timedelta(days=31)}, "valid_for"),
        ({"valid_for": timedelta(0)}, "valid_for"),
    ],
)
def test_a_bad_role_or_validity_is_refused_and_nothing_is_made(invite, options, field):
    with pytest.raises(ServiceError) as refused:
        invite(**options)
    assert refused.value.field == field
    assert not Invitation.objects.exists()


def test_accepting_makes_the_account_and_the_membership(project, invite):
    _, token = invite(role=Membership.Role.LEAD)
    membership = invitation_accept(token=token, username="rima", password=GOOD_PASSWORD)
    user = get_user_model().objects.get(username="rima")
    assert user.check_password(GOOD_PASSWORD)
    assert (membership.user, membership.project, membership.role) == (user, project, "lead")
    invitation = Invitation.objects.get()
    assert (invitation.used_by, invitation.used_at is not None) == (user, True)
    assert actions(project)[-2:] == ["invitation_accepted", "member_added"]
    assert project.audit_events.filter(actor=user).count() == 2


def test_a_logged_in_user_joins_with_their_own_account(project, invite, outsider):
    _, token = invite()
    membership = invitation_accept(token=token, user=outsider)
    assert (membership.user, membership.role) == (outsider, "annotator")
    assert get_user_model().objects.count() == 2  # lead and outsider: no new account


def test_a_member_cannot_use_a_link_and_it_stays_usable(project, invite, lead, annotator):
    _, token = invite(role=Membership.Role.LEAD)
    with pytest.raises(ServiceError, match="already a member"):
        invitation_accept(token=token, user=annotator)
    assert Membership.objects.get(user=annotator).role == "annotator"
    assert invitation_for_token(token).used_at is None


def test_a_link_works_once(invite):
    _, token = invite()
    invitation_accept(token=token, username="first", password=GOOD_PASSWORD)
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(token=token, username="second", password=GOOD_PASSWORD)
    assert refused.value.reason == "used"
    assert "first" not in refused.value.message
    assert not get_user_model().objects.filter(username="second").exists()


def test_expired_revoked_and_unknown_links_each_say_why(invite, lead):
    _, expired = invite(valid_for=timedelta(hours=1))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked_invitation, revoked = invite()
    invitation_revoke(invitation=revoked_invitation, actor=lead)
    reasons = {}
    for token in (expired, revoked, "no-such-token"):
        with pytest.raises(InvitationUnusable) as refused:
            invitation_accept(token=token, username="someone", password=GOOD_PASSWORD)
        reasons[token] = refused.value.reason
    assert reasons == {expired: "expired", revoked: "revoked", "no-such-token": "unknown"}
    assert not get_user_model().objects.filter(username="someone").exists()


def test_revoking_is_audited_and_happens_once(project, invite, lead):
    invitation, _ = invite(note="Rima")
    invitation_revoke(invitation=invitation, actor=lead)
    with pytest.raises(ServiceError, match="already used or withdrawn"):
        invitation_revoke(invitation=invitation, actor=lead)
    assert actions(project).count("invitation_revoked") == 1


@pytest.mark.parametrize(
    ("username", "password", "errors"),
    [
        ("rima", "short", {"password"}),
        ("rima", "password", {"password"}),  # too common
        ("rima", "12345678901", {"password"}),  # all digits
        ("rimasaleh", "rimasaleh1", {"password"}),  # too close to the username
        ("bad name!", GOOD_PASSWORD, {"username"}),
        ("", GOOD_PASSWORD, {"username"}),
        ("LEAD", GOOD_PASSWORD, {"username"}),  # taken, in another case
        ("bad name!", "short", {"username", "password"}),
    ],
)
def test_a_bad_username_or_password_names_the_field_and_changes_nothing(
    project, invite, username, password, errors
):
    _, token = invite()
    users_before = get_user_model().objects.count()
    events_before = actions(project)
    with pytest.raises(AccountRejected) as rejected:
        invitation_accept(token=token, username=username, password=password)
    assert set(rejected.value.errors) == errors
    assert all(rejected.value.errors.values())
    assert get_user_model().objects.count() == users_before
    assert invitation_for_token(token).used_at is None
    assert actions(project) == events_before


@pytest.mark.django_db(transaction=True)
def test_two_people_opening_one_link_at_once_only_one_gets_in(project, invite):
    _, token = invite()
    barrier = threading.Barrier(2)
    outcomes = {}

    def accept(username):
        try:
            barrier.wait(timeout=10)
            invitation_accept(token=token, username=username, password=GOOD_PASSWORD)
            outcomes[username] = "joined"
        except InvitationUnusable as refusal:
            outcomes[username] = refusal.reason
        except Exception as error:  # anything else is reported by the assertion below
            outcomes[username] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("amal", "bilal")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(outcomes.values()) == ["joined", "used"], outcomes
    winner = next(name for name, outcome in outcomes.items() if outcome == "joined")
    joined = Membership.objects.filter(project=project, role="annotator")
    assert [m.user.username for m in joined] == [winner]
    # The loser's account was rolled back with the refusal: no orphan account is left.
    assert set(get_user_model().objects.values_list("username", flat=True)) == {"lead", winner}
