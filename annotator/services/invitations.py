"""Invitations: the one way a new person gets in, since nobody can sign themselves up.

A lead makes a link; the first person to open it makes an account (or, logged in, uses theirs)
and becomes a member with the link's role. The link works once: accepting it claims it with a
conditional UPDATE, so two people opening it at the same moment cannot both get in. Only the
token's sha256 is stored: a copy of the database lets no one in.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import AuditEvent, Invitation, Membership, Project
from .audit import audit_record
from .errors import ServiceError
from .projects import membership_set

DEFAULT_VALIDITY = timedelta(days=7)
LONGEST_VALIDITY = timedelta(days=30)


class InvitationUnusable(ServiceError):
    """The link lets no one in; `reason` says why (never who used it)."""

    MESSAGES = {
        "unknown": "This invitation link is not valid. Check that you copied all of it, "
        "or ask the lead who sent it for a new one.",
        "expired": "This invitation has expired. Ask the lead who sent it for a new link.",
        "used": "This invitation has already been used: each link lets one person in. "
        "Ask the lead who sent it for a new link.",
        "revoked": "This invitation was withdrawn by a lead of the project. "
        "Ask them for a new link if you still need one.",
    }

    def __init__(self, reason: str):
        super().__init__(self.MESSAGES[reason])
        self.reason = reason


class AccountRejected(ServiceError):
    """The new account cannot be made as asked; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("The account cannot be made as asked.")
        self.errors = errors


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *,
    project: Project,
    role: str,
    created_by,
    note: str = "",
    valid_for: timedelta = DEFAULT_VALIDITY,
) -> tuple[Invitation, str]:
    """A new invitation and its token, the one time the token exists outside the link."""
    if role not in Membership.Role.values:
        raise ServiceError(f"Unknown role {role!r}.", field="role")
    if not timedelta(0) < valid_for <= LONGEST_VALIDITY:
        raise ServiceError(
            f"An invitation is valid for up to {LONGEST_VALIDITY.days} days.", field="valid_for"
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            project=project,
            role=role,
            note=note,
            token_hash=token_hash(token),
            created_by=created_by,
            expires_at=timezone.now() + valid_for,
        )
        audit_record(
            project=project,
            actor=created_by,
            action=AuditEvent.Action.INVITATION_CREATED,
            summary=f"Invitation as {role}" + (f" for {note}" if note else ""),
            details={"invitation": invitation.pk, "role": role, "valid_days": valid_for.days},
        )
    return invitation, token


def invitation_revoke(*, invitation: Invitation, actor) -> None:
    """Withdraw an unused invitation: its link stops working at once."""
    with transaction.atomic():
        revoked = Invitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if not revoked:
            raise ServiceError("This invitation was already used or withdrawn.")
        audit_record(
            project=invitation.project,
            actor=actor,
            action=AuditEvent.Action.INVITATION_REVOKED,
            summary=f"Invitation as {invitation.role} withdrawn"
            + (f" ({invitation.note})" if invitation.note else ""),
            details={"invitation": invitation.pk},
        )


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation of a link, or InvitationUnusable saying why there is none."""
    invitation = (
        Invitation.objects.select_related("project").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.revoked_at is not None:
        raise InvitationUnusable("revoked")
    if invitation.used_at is not None:
        raise InvitationUnusable("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable("expired")
    return invitation


def invitation_accept(
    *, token: str, user=None, username: str = "", password: str = ""
) -> Membership:
    """Use the link: make the account `username` with `password` (or, given `user`, add that
    logged-in user) and make them a member with the invitation's role.

    Raises InvitationUnusable if the link is not (or no longer) usable, AccountRejected for a
    username or password that will not do, ServiceError for someone already a member. Nothing
    changes unless everything succeeds."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        if user is None:
            user = _account_create(username=username, password=password)
        elif Membership.objects.filter(project=invitation.project, user=user).exists():
            raise ServiceError("You are already a member of this project.")
        now = timezone.now()
        claimed = (
            Invitation.objects.usable(now)
            .filter(pk=invitation.pk)
            .update(used_at=now, used_by=user)
        )
        if not claimed:
            # Someone else used (or a lead withdrew) the link since it was read above.
            invitation_for_token(token)
            raise InvitationUnusable("used")
        audit_record(
            project=invitation.project,
            actor=user,
            action=AuditEvent.Action.INVITATION_ACCEPTED,
            summary=f"{user.get_username()} accepted an invitation as {invitation.role}",
            details={"invitation": invitation.pk, "user": user.pk},
        )
        return membership_set(
            project=invitation.project,
            username=user.get_username(),
            role=invitation.role,
            actor=user,
        )


def _account_create(*, username: str, password: str):
    user_model = get_user_model()
    username = user_model.normalize_username(username.strip())
    errors: dict[str, list[str]] = {}
    try:
        user_model._meta.get_field(user_model.USERNAME_FIELD).clean(username, None)
    except ValidationError as error:
        errors["username"] = error.messages
    else:
        if user_model.objects.filter(username__iexact=username).exists():
            errors["username"] = ["That username is taken; choose another."]
    user = user_model(username=username)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise AccountRejected(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Taken in the moment since the check above.
        raise AccountRejected({"username": ["That username is taken; choose another."]}) from None
    return user
