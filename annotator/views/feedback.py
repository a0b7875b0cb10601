"""An annotator's own work against the gold, once a document is adjudicated: never anyone
else's spans, and nothing before the review is done."""

from collections import Counter
from datetime import timedelta

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from .. import charts
from ..domain.agreement import f1_from_counts
from ..models import GoldComparison, Review
from ..permissions import own_assignment

RECENT = 10


@own_assignment
def assignment_feedback(request, project, assignment):
    document = assignment.document
    if not Review.objects.filter(document=document, status=Review.Status.DONE).exists():
        raise Http404("This document has not been adjudicated yet.")
    text = document.text
    gold = {(s.start, s.end, s.label.key) for s in document.gold_spans.select_related("label")}
    mine = {(s.start, s.end, s.label.key) for s in assignment.spans.select_related("label")}

    def listed(spans):
        return [
            {"label": label, "text": text[start:end], "start": start}
            for start, end, label in sorted(spans)
        ]

    scores = f1_from_counts(len(gold & mine), len(mine - gold), len(gold - mine))
    return render(
        request,
        "annotate/feedback.html",
        {
            "project": project,
            "assignment": assignment,
            "document": document,
            "scores": scores,
            "matched": listed(gold & mine),
            "extra": listed(mine - gold),
            "missed": listed(gold - mine),
        },
    )


def gold_feedback(user, project) -> dict | None:
    """The annotator's F1 against the gold: overall, by week, and the latest documents; None
    before any of their documents is adjudicated."""
    comparisons = list(
        GoldComparison.objects.filter(
            assignment__annotator=user,
            assignment__document__project=project,
            # As the feedback page: a reopened review is not adjudicated until finished again.
            assignment__document__review__status=Review.Status.DONE,
        )
        .select_related("assignment__document")
        .order_by("-compared_at")
    )
    if not comparisons:
        return None
    total = Counter()
    weeks: dict = {}
    for row in comparisons:
        total.update(matched=row.matched, extra=row.extra, missed=row.missed)
        day = timezone.localtime(row.compared_at).date()
        week = weeks.setdefault(day - timedelta(days=day.weekday()), Counter())
        week.update(matched=row.matched, extra=row.extra, missed=row.missed)
    by_week = [
        (start.isoformat()[5:], f1_from_counts(c["matched"], c["extra"], c["missed"]).f1)
        for start, c in sorted(weeks.items())
    ]
    return {
        "documents": len(comparisons),
        "scores": f1_from_counts(total["matched"], total["extra"], total["missed"]),
        "recent": [row.assignment for row in comparisons[:RECENT]],
        "chart": charts.line_chart(
            [(label, value, f"{value:.2f}") for label, value in by_week],
            title="Your span F1 against the gold, by week of adjudication",
        ),
    }
