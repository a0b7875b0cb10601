"""Invitations: how someone joins a project. There is no self-registration."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .projects import Membership, Project


class InvitationQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A single-use, expiring link a lead sends to a new member.

    Only a hash of the link's token is stored, so a copy of the database (a backup, a leaked
    dump) holds no usable invitation.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        max_length=20, choices=Membership.Role.choices, default=Membership.Role.ANNOTATOR
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Who it is for, as the lead wrote it."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["annotator", "lead"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"invitation to {self.project} as {self.role}"
