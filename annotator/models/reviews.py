"""Adjudication: reviews, the gold spans they decide, their history, and the feedback to
annotators."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .documents import Assignment, Document
from .projects import Label, Project


class Review(models.Model):
    """A lead's adjudication of one document. Made by the lead's first decision (opening the
    page changes nothing); `version` goes up with every change, so that two leads on one
    document never silently overwrite each other."""

    class Status(models.TextChoices):
        PENDING = "pending"
        IN_PROGRESS = "in_progress"
        DONE = "done"

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="review"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "in_progress", "done"]),
                name="review_status_valid",
            )
        ]
        indexes = [models.Index(fields=["project", "status"], name="review_status_idx")]

    def __str__(self) -> str:
        return f"review of document {self.document_id} ({self.status})"


class GoldSpan(models.Model):
    """A span of the adjudicated dataset, with where it came from."""

    class Decision(models.TextChoices):
        UNANIMOUS = "unanimous"  # every annotator marked exactly this span
        ACCEPTED = "accepted"  # a lead chose one annotator's variant as it was
        EDITED = "edited"  # a lead changed a variant's boundaries, label or attributes
        ADDED = "added"  # a lead marked what no annotator had

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="gold_spans")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="gold_spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    attributes = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    reason = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # Provenance: user ids of the annotators who marked exactly this span, and of those who
    # marked an overlapping variant of it (other boundaries or label).
    exact_annotators = models.JSONField(default=list, blank=True)
    variant_annotators = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["document", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="gold_not_empty"),
            models.UniqueConstraint(
                fields=["document", "label", "start", "end"], name="gold_span_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"gold {self.label} [{self.start}, {self.end})"


class ReviewEvent(models.Model):
    """One decision of a review, kept for good: the audit trail, and what undo reverts."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=12)
    # The region decided on: a conflict group, or the span added; null for finish and reopen.
    start = models.PositiveIntegerField(null=True)
    end = models.PositiveIntegerField(null=True)
    summary = models.CharField(max_length=300)
    reason = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # {"added": [gold span ids], "removed": [gold spans as dicts], "changed": [[id, before]],
    #  "links_added": [gold link ids], "links_removed": [gold links as dicts]}
    changes = models.JSONField(default=dict)
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.action} on document {self.review_id}"


class GoldComparison(models.Model):
    """An annotator's finished assignment scored against the gold, when the review is done:
    the feedback the annotator sees of their own work."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, primary_key=True, related_name="gold_comparison"
    )
    matched = models.PositiveIntegerField()
    extra = models.PositiveIntegerField(help_text="Spans the annotator marked that gold lacks.")
    missed = models.PositiveIntegerField(help_text="Gold spans the annotator did not mark.")
    compared_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"assignment {self.assignment_id} against gold"
