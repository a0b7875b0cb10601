"""Projects, their label schemes and their members."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from ..domain.labels import DEFAULT_LABELS, LabelSpec
from ..models import Label, Membership, Project
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


def membership_set(*, project: Project, username: str, role: str) -> Membership:
    """Make `username` a member with `role`, changing the role of an existing member."""
    user = get_user_model().objects.get(username=username)
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    return membership


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
