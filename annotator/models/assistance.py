"""What helps annotators beyond their own spans: a project's gazetteer for suggestions, regions
a lead has marked as boilerplate, and paragraphs shared by several documents."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .documents import Document
from .projects import Label, Project


class GazetteerEntry(models.Model):
    """A name the suggestions look for, with its other spellings, the label it gets and the
    attribute values it brings (e.g. actor_type)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gazetteer")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="gazetteer")
    name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings, as a list.")
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["project", "label", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "label", "name"], name="gazetteer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.label})"


class IgnoredRegion(models.Model):
    """Text a lead marked as not to be annotated (link lines, bylines, comment sections):
    suggestions and agreement skip it, and exports carry it as a mask."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="ignored")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="ignored_region_not_empty"
            ),
            models.UniqueConstraint(
                fields=["document", "start", "end"], name="ignored_region_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"ignored [{self.start}, {self.end}) of {self.document_id}"


class PassageCluster(models.Model):
    """Paragraphs that appear, word for word or nearly, in several documents of a project.
    Recomputed as a whole when documents are imported."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="passages")
    exact = models.BooleanField(help_text="Every member has the same words.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"shared passage {self.pk} of {self.project}"


class PassageOccurrence(models.Model):
    cluster = models.ForeignKey(PassageCluster, on_delete=models.CASCADE, related_name="members")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["cluster", "document", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="passage_occurrence_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["document", "start"], name="passage_document_idx")]

    def __str__(self) -> str:
        return f"[{self.start}, {self.end}) of {self.document_id} in cluster {self.cluster_id}"
