"""The data model. The database enforces what it can (constraints); reads are QuerySet methods.

Document text is immutable once imported: every span offset points into it. Review and gold
models arrive with adjudication and hang off Document in the same way Assignment does.
"""

import random
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from .domain.documents import MAX_EXTERNAL_ID_CHARS, MAX_TITLE_CHARS
from .domain.labels import COLOUR_PATTERN, LABEL_KEY_PATTERN, SchemaError, parse_attribute_schema


class ProjectQuerySet(models.QuerySet):
    def with_member(self, user):
        return self.filter(memberships__user=user)

    def with_role_of(self, user):
        """Annotate each project with the user's role in it (site admins: lead)."""
        if user.is_superuser:
            return self.annotate(role=models.Value("lead"))
        role = Membership.objects.filter(project=models.OuterRef("pk"), user=user).values("role")
        return self.annotate(role=models.Subquery(role[:1]))


class Project(models.Model):
    class AssignmentOrder(models.TextChoices):
        SEQUENTIAL = "sequential", "In import order"
        RANDOM = "random", "In a random order"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Markdown, shown to annotators.")
    annotators_per_document = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1)]
    )
    auto_accept_unanimous = models.BooleanField(
        default=False, help_text="Documents on which all annotators agree exactly become gold."
    )
    allow_overlapping_spans = models.BooleanField(default=False)
    assignment_order = models.CharField(
        max_length=20, choices=AssignmentOrder.choices, default=AssignmentOrder.SEQUENTIAL
    )
    assignment_timeout = models.DurationField(
        default=timedelta(days=7),
        help_text="After this, a lead may release an unfinished assignment to someone else.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annotators_per_document__gte=1), name="project_k_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ANNOTATOR = "annotator", "Annotator"
        LEAD = "lead", "Lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["annotator", "lead"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} as {self.role}"


def validate_attribute_schema(value) -> None:
    try:
        parse_attribute_schema(value)
    except SchemaError as error:
        raise ValidationError(str(error)) from None


class Label(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    key = models.CharField(
        max_length=50,
        validators=[RegexValidator(LABEL_KEY_PATTERN, "Use UPPER_SNAKE_CASE, e.g. LOCATION.")],
    )
    name = models.CharField(max_length=100)
    colour = models.CharField(
        max_length=7, validators=[RegexValidator(COLOUR_PATTERN, "Use #rrggbb.")]
    )
    shortcut = models.CharField(max_length=1)
    description = models.TextField(blank=True)
    attribute_schema = models.JSONField(
        default=list, blank=True, validators=[validate_attribute_schema]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="label_key_unique"),
            models.UniqueConstraint(fields=["project", "shortcut"], name="label_shortcut_unique"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="label_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @cached_property
    def attribute_specs(self):
        return parse_attribute_schema(self.attribute_schema)


def random_shuffle_key() -> int:
    return random.randrange(2**31)


class DocumentQuerySet(models.QuerySet):
    def in_project(self, project):
        return self.filter(project=project)

    def needing_annotator(self, project, annotator):
        """Documents with a free place among the project's k that this annotator never had."""
        places_taken = (
            Assignment.objects.holding_a_place()
            .filter(document=models.OuterRef("pk"))
            .order_by()
            .values("document")
            .annotate(count=models.Count("id"))
            .values("count")
        )
        ever_theirs = Assignment.objects.filter(document=models.OuterRef("pk"), annotator=annotator)
        return (
            self.in_project(project)
            .annotate(taken=Coalesce(models.Subquery(places_taken), 0))
            .filter(taken__lt=project.annotators_per_document)
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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        indexes = [models.Index(fields=["project", "shuffle_key"], name="document_shuffle_idx")]
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
    # {"added": [gold span ids], "removed": [gold spans as dicts], "changed": [[id, before]]}
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
