"""The audit log: who did what to a project, and when. Leads of the project read it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

# Who did what the command line (or background work with no user) did.
COMMAND_LINE = "command line"


class AuditEventQuerySet(models.QuerySet):
    def by_person(self, person: str):
        """Entries by the user of this name (as it was when they acted), or by the command
        line when `person` is COMMAND_LINE."""
        return self.filter(actor_name="" if person == COMMAND_LINE else person)

    def older_than(self, event: "AuditEvent"):
        """After `event` in the log's order, newest first: a page that starts where the last
        one ended, found through the index however long the log is."""
        return self.filter(
            Q(created_at__lt=event.created_at) | Q(created_at=event.created_at, pk__lt=event.pk)
        )

    def newer_than(self, event: "AuditEvent"):
        """Before `event` in the log's order, oldest first: the page before it, reversed."""
        return self.filter(
            Q(created_at__gt=event.created_at) | Q(created_at=event.created_at, pk__gt=event.pk)
        ).order_by("created_at", "id")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        DOCUMENTS_IMPORTED = "documents_imported", "Documents imported"
        MEMBER_ADDED = "member_added", "Member added"
        ROLE_CHANGED = "role_changed", "Role changed"
        MEMBER_REMOVED = "member_removed", "Member removed"
        INVITATION_CREATED = "invitation_created", "Invitation created"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        ASSIGNMENTS_RELEASED = "assignments_released", "Assignments released"
        REVIEW_DECIDED = "review_decided", "Review decision"
        REVIEW_FINISHED = "review_finished", "Review finished"
        REVIEW_REOPENED = "review_reopened", "Review reopened"
        EXPORT_REQUESTED = "export_requested", "Export requested"
        EXPORT_DOWNLOADED = "export_downloaded", "Export downloaded"
        BACKUP_MADE = "backup_made", "Backup made"
        BACKUP_RESTORED = "backup_restored", "Backup restored"

    project = models.ForeignKey(
        "annotator.Project", on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written at the time: the log still says who it was after the account is renamed
    # or deleted. Empty for the command line and background work with no user.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"], name="audit_project_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.who}: {self.summary}"

    @property
    def who(self) -> str:
        return self.actor_name or COMMAND_LINE
