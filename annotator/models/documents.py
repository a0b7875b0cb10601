"""Documents and the annotators' work on them: assignments and spans.

Document text is immutable once imported: every span offset points into it.
"""

import random

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from ..domain.documents import MAX_EXTERNAL_ID_CHARS, MAX_TITLE_CHARS
from .projects import Label, Project


def random_shuffle_key() -> int:
    return random.randrange(2**31)


class DocumentQuerySet(models.QuerySet):
    def in_project(self, project):
        return self.filter(project=project)

    def needing_annotator(self, project, annotator):
        """Documents with a free place among the project's k that this annotator never had."""
        ever_theirs = Assignment.objects.filter(document=models.OuterRef("pk"), annotator=annotator)
        return (
            self.in_project(project)
            .filter(places_taken__lt=project.annotators_per_document)
            .exclude(models.Exists(ever_theirs))
        )

    def ready_for_review(self, project):
        """Documents whose k annotations are all submitted, each with `review_status` and
        `agreement_score` (None without figures), the least agreement first."""
        submitted = (
            Assignment.objects.filter(
                document=models.OuterRef("pk"), status=Assignment.Status.SUBMITTED
            )
            .order_by()
            .values("document")
            .annotate(count=models.Count("id"))
            .values("count")
        )
        return (
            self.in_project(project)
            .annotate(submitted=Coalesce(models.Subquery(submitted), 0))
            .filter(submitted__gte=project.annotators_per_document)
            .annotate(
                review_status=Coalesce("review__status", models.Value("pending")),
                agreement_score=models.F("agreement__score"),
            )
            .order_by(models.F("agreement_score").asc(nulls_last=True), "id")
        )


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    # NULL, not "", for "no external id": NULLs never collide in the unique constraint.
    external_id = models.CharField(  # noqa: DJ001
        max_length=MAX_EXTERNAL_ID_CHARS, null=True, blank=True
    )
    title = models.CharField(max_length=MAX_TITLE_CHARS, blank=True)
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    metadata = models.JSONField(default=dict, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    # A fixed random position: "random order" projects hand documents out by it, so every
    # annotator walks the same shuffled order and documents reach k annotators early.
    shuffle_key = models.IntegerField(default=random_shuffle_key)
    # How many assignments hold one of its k places, kept by the services that change them
    # (services.assignments.documents_places_recount): "next document" reads this column
    # rather than counting every document's assignments.
    places_taken = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        # "Next document": the fullest document with room first, in random or import order.
        indexes = [
            models.Index(
                fields=["project", "-places_taken", "shuffle_key", "id"], name="document_room_idx"
            ),
            models.Index(fields=["project", "-places_taken", "id"], name="document_room_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "sha256"], name="document_text_unique"),
            models.UniqueConstraint(
                fields=["project", "external_id"],
                condition=Q(external_id__isnull=False),
                name="document_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Document {self.pk}"


class AssignmentQuerySet(models.QuerySet):
    def in_project(self, project):
        return self.filter(document__project=project)

    def of(self, annotator):
        return self.filter(annotator=annotator)

    def holding_a_place(self):
        """Assignments that count towards a document's k annotators."""
        return self.exclude(status__in=[Assignment.Status.SKIPPED, Assignment.Status.RELEASED])

    def progress(self) -> dict[str, int]:
        """Counts by status, e.g. for one annotator in one project."""
        counts = dict(self.order_by().values_list("status").annotate(n=models.Count("id")))
        return {status: counts.get(status, 0) for status in Assignment.Status.values}


class Assignment(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", "In progress"
        SUBMITTED = "submitted", "Submitted"
        SKIPPED = "skipped", "Skipped"
        RELEASED = "released", "Released by a lead"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    assigned_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=500, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        # An annotator's open work, their home page and "next document" all start here.
        indexes = [models.Index(fields=["annotator", "status"], name="assignment_annotator_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "annotator"], name="assignment_one_per_annotator"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["assigned", "submitted", "skipped", "released"]),
                name="assignment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} for {self.annotator} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ASSIGNED


class Span(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="spans")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    attributes = models.JSONField(default=dict, blank=True)
    # Accepted from a suggestion rather than marked by hand: lets a lead see how far the
    # suggestions steer the annotators.
    from_suggestion = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="span_start_not_negative"),
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="span_not_empty"),
            models.UniqueConstraint(
                fields=["assignment", "label", "start", "end"], name="span_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} [{self.start}, {self.end})"
