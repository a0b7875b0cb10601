"""Projects, their members and their labels."""

from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from ..domain.labels import COLOUR_PATTERN, LABEL_KEY_PATTERN, SchemaError, parse_attribute_schema


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
    suggestions_enabled = models.BooleanField(
        default=True,
        help_text="Show suggested spans to annotators. Turn off for an agreement study, so "
        "that nobody's spans lean on them.",
    )
    content_note = models.TextField(
        blank=True,
        help_text="Markdown. Shown to each volunteer before their first document (e.g. that "
        "the reports describe killings of children). Empty: none.",
    )
    break_reminder_minutes = models.PositiveSmallIntegerField(
        default=45, help_text="Suggest a break after this many minutes of annotating; 0: never."
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

    def content_note_due_for(self, user) -> bool:
        """Whether `user` must read the content note before annotating: there is one, and
        they have not accepted it yet."""
        if not self.content_note.strip():
            return False
        return self.memberships.filter(user=user, content_note_seen_at__isnull=True).exists()


class Membership(models.Model):
    class Role(models.TextChoices):
        ANNOTATOR = "annotator", "Annotator"
        LEAD = "lead", "Lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    content_note_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="When the member read the project's content note."
    )
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
            # \Z works in both SQLite's (Python's) and PostgreSQL's regular expressions, and
            # unlike $ refuses a trailing newline.
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}\Z"), name="label_colour_hex"
            ),
            models.CheckConstraint(
                condition=Q(key__regex=r"^[A-Z][A-Z0-9_]{0,49}\Z"), name="label_key_format"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @cached_property
    def attribute_specs(self):
        return parse_attribute_schema(self.attribute_schema)
