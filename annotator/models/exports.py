"""Exports of a project's gold made in the background, with their files, for leads to download."""

from django.conf import settings
from django.db import models

from .projects import Project


def export_file_name(export: "Export", name: str) -> str:
    # Under the project's id, not its slug: a renamed project keeps its past exports.
    return f"exports/{export.project_id}/{export.pk or 'new'}-{name}"


class Export(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(max_length=16)
    options = models.JSONField(
        default=dict, help_text="include_auto_accepted, ratios (or null) and seed."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, help_text="What the format could not hold (the first few), as text."
    )
    problem_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=export_file_name, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True, help_text="The name it downloads as.")
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"], name="export_project_idx")]

    def __str__(self) -> str:
        return f"{self.format} export of {self.project} ({self.status})"

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
