"""Stored agreement: each document's tallies and each project's figures."""

from django.db import models

from .documents import Document
from .projects import Project


class DocumentAgreement(models.Model):
    """A document's agreement tallies (`domain.agreement.DocumentTallies` as JSON), computed when
    a second or later annotation of it is submitted. The columns beside the JSON are what lists
    sort and filter by."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="agreement"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    annotators = models.PositiveSmallIntegerField()
    score = models.FloatField(help_text="Exact span F1 pooled over the pairs of annotators.")
    disagreements = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(help_text="When the latest of its annotations came in.")
    tallies = models.JSONField()
    version = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["project", "score"], name="agreement_score_idx"),
        ]

    def __str__(self) -> str:
        return f"agreement of document {self.document_id}: {self.score:.2f}"


class ProjectAgreement(models.Model):
    """A project's agreement figures, added up from its documents' tallies by a refresh."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="agreement"
    )
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True)
    refresh_queued = models.BooleanField(default=False)
    refresh_queued_at = models.DateTimeField(null=True)
    refresh_running = models.BooleanField(default=False)
    refresh_done = models.PositiveIntegerField(default=0)
    refresh_total = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"agreement of {self.project}"
