"""Projects, their label schemes and their members."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from ..domain.labels import DEFAULT_LABELS, LabelSpec
from ..models import AuditEvent, Label, Membership, Project
from .audit import audit_record
from .errors import ServiceError


def project_create(
    *,
    slug: str,
    name: str,
    description: str = "",
    guidelines: str = "",
    labels: Iterable[LabelSpec] = DEFAULT_LABELS,
) -> Project:
    """A project with its label scheme (the default casualty scheme unless told otherwise)."""
    with transaction.atomic():
        project = Project(slug=slug, name=name, description=description, guidelines=guidelines)
        project.full_clean()
        project.save()
        for position, spec in enumerate(labels):
            label = Label(
                project=project,
                key=spec.key,
                name=spec.name,
                colour=spec.colour,
                shortcut=spec.shortcut,
                description=spec.description,
                attribute_schema=spec.attribute_schema_json(),
                position=position,
            )
            label.full_clean()
            label.save()
    return project


def membership_set(*, project: Project, username: str, role: str, actor=None) -> Membership:
    """Make `username` a member with `role`, changing the role of an existing member.

    `actor` is who did it, for the audit log (None: the command line). The last lead of a
    project cannot become an annotator: nobody would be left to run it."""
    user = get_user_model().objects.get(username=username)
    with transaction.atomic():
        _lock_members(project)
        membership = Membership.objects.filter(project=project, user=user).first()
        if membership is None:
            membership = Membership.objects.create(project=project, user=user, role=role)
            audit_record(
                project=project,
                actor=actor,
                action=AuditEvent.Action.MEMBER_ADDED,
                summary=f"{username} joined as {role}",
                details={"user": user.pk, "role": role},
            )
        elif membership.role != role:
            if membership.role == Membership.Role.LEAD:
                _refuse_if_last_lead(project, membership, "become an annotator")
            previous, membership.role = membership.role, role
            membership.save(update_fields=["role"])
            audit_record(
                project=project,
                actor=actor,
                action=AuditEvent.Action.ROLE_CHANGED,
                summary=f"{username}: {previous} → {role}",
                details={"user": user.pk, "from": previous, "to": role},
            )
    return membership


def membership_remove(*, membership: Membership, actor) -> None:
    """Take a member out of the project. Their submitted work stays; the last lead stays."""
    project = membership.project
    with transaction.atomic():
        _lock_members(project)
        membership = Membership.objects.select_related("user").filter(pk=membership.pk).first()
        if membership is None:
            raise ServiceError("This person is no longer a member of the project.")
        if membership.role == Membership.Role.LEAD:
            _refuse_if_last_lead(project, membership, "leave")
        membership.delete()
        audit_record(
            project=project,
            actor=actor,
            action=AuditEvent.Action.MEMBER_REMOVED,
            summary=f"{membership.user.get_username()} removed (was {membership.role})",
            details={"user": membership.user_id, "role": membership.role},
        )


def _lock_members(project: Project) -> None:
    """Membership changes of one project take turns: two leads demoting each other at once
    must not leave the project with none."""
    Project.objects.select_for_update().filter(pk=project.pk).first()


def _refuse_if_last_lead(project: Project, membership: Membership, change: str) -> None:
    others = Membership.objects.filter(project=project, role=Membership.Role.LEAD).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ServiceError(
            f"{membership.user.get_username()} is the project's only lead and cannot {change}; "
            "make someone else a lead first.",
            field="role",
        )


def token_create(*, project: Project, username: str) -> Token:
    """The API token of a member of `project` (made on first use, the same one after)."""
    membership = (
        Membership.objects.filter(project=project, user__username=username)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ServiceError("Not a member of this project.", field="username")
    token, _ = Token.objects.get_or_create(user=membership.user)
    return token


def project_settings_update(*, project: Project, values: dict) -> Project:
    """Set the project's settings named in `values` (those of the lead's settings form)."""
    for name, value in values.items():
        setattr(project, name, value)
    project.full_clean()
    project.save(update_fields=list(values))
    return project
