"""Links between spans: an annotator's (SpanLink, within one assignment) and the gold's
(GoldLink, within one review). The kinds and the labels their ends need are in
`domain/links.py`; the services check them before a row is written."""

from django.db import models
from django.db.models import Q

from ..domain.links import KINDS
from .documents import Assignment, Span
from .reviews import GoldSpan, Review

KIND_CHOICES = [(kind.key, kind.title) for kind in KINDS.values()]


class SpanLink(models.Model):
    # Deleting either span deletes the link: it says nothing without both ends.
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "source", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="span_link_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="span_link_not_to_itself"
            ),
            models.CheckConstraint(condition=Q(kind__in=list(KINDS)), name="span_link_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: span {self.source_id} → span {self.target_id}"


class GoldLink(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(GoldSpan, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(GoldSpan, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    # Provenance: user ids of the annotators who made this link (between any variants of
    # its ends); empty when the lead made it alone.
    annotators = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["review", "source", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="gold_link_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="gold_link_not_to_itself"
            ),
            models.CheckConstraint(condition=Q(kind__in=list(KINDS)), name="gold_link_kind"),
        ]

    def __str__(self) -> str:
        return f"gold {self.kind}: {self.source_id} → {self.target_id}"
