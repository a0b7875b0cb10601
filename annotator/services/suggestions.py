"""Suggestions as the product shows them: for one annotator's document, and measured against a
project's gold so that a lead knows how far to trust them.

A suggestion is never stored. It becomes a span only when the annotator accepts it (through
`span_create(..., from_suggestion=True)`), so nothing unaccepted counts as an annotation or
in agreement.
"""

from dataclasses import dataclass, replace

from ..domain.agreement import F1Result
from ..domain.attributes import clean_attributes
from ..domain.suggest import Suggestion, SuggestionQuality, pooled_quality, suggest
from ..domain.suggest import suggestion_quality as scored
from ..models import Assignment, GazetteerEntry, GoldSpan, IgnoredRegion, Project, Review, Span

# Quality is measured on the most recently finished reviews only: enough documents to trust
# the figures, and a page that stays fast however large the project grows.
QUALITY_DOCUMENTS = 200


def project_gazetteer(project: Project) -> list[tuple]:
    """The project's gazetteer as the plain (name, label, aliases, attributes) tuples the
    domain reads."""
    entries = GazetteerEntry.objects.filter(project=project).select_related("label")
    return [(entry.name, entry.label.key, entry.aliases, entry.attributes) for entry in entries]


def document_suggestions(*, assignment: Assignment) -> list[Suggestion]:
    """What to suggest to this annotator in this document: nothing in its ignored regions or
    over their own spans, only labels the project has, with attributes the label accepts."""
    project = assignment.document.project
    if not project.suggestions_enabled:
        return []
    taken = [
        *IgnoredRegion.objects.filter(document=assignment.document).values_list("start", "end"),
        *assignment.spans.values_list("start", "end"),
    ]
    return _suggestions_for(
        assignment.document.text, _labels(project), project_gazetteer(project), ignored=taken
    )


def _labels(project: Project) -> dict:
    return {label.key: label for label in project.labels.all()}


def _suggestions_for(text: str, labels: dict, gazetteer, *, ignored) -> list[Suggestion]:
    shown = []
    for suggestion in suggest(text, gazetteer=gazetteer, ignored=ignored):
        label = labels.get(suggestion.label)
        if label is None:
            continue
        shown.append(replace(suggestion, attributes=_accepted_attributes(label, suggestion, text)))
    return shown


def _accepted_attributes(label, suggestion: Suggestion, text: str) -> dict:
    """The suggestion's attribute values the label takes as entered ones: a value the schema
    would refuse, or computes itself (value_low/best/high), is left out rather than sent."""
    specs = label.attribute_specs
    entered = {spec.name for spec in specs if not spec.derived}
    values = {}
    for name, value in suggestion.attributes.items():
        if name in entered:
            cleaned = clean_attributes(
                specs, {name: value}, text[suggestion.start : suggestion.end]
            )
            if not cleaned.errors and name in cleaned.values:
                values[name] = cleaned.values[name]
    return values


@dataclass(frozen=True)
class SuggestionReport:
    """How well suggestions matched gold over `documents` reviewed documents, and how many
    spans annotators made by accepting one."""

    quality: SuggestionQuality
    documents: int
    accepted: int
    spans: int

    def rows(self) -> list[tuple[str, F1Result, F1Result]]:
        """(label, exact, overlap) for each label, then ("all", …) over every label."""
        exact, overlap = self.quality.exact, self.quality.overlap
        # Both matches score the same spans, so they have the same labels.
        return [
            *(
                (label, exact.per_label[label], overlap.per_label[label])
                for label in exact.per_label
            ),
            ("all", exact, overlap),
        ]


def suggestions_measure(*, project: Project) -> SuggestionReport:
    """Suggestions (as any annotator would have seen them before marking anything, ignored
    regions left out) scored against the gold of the last finished reviews."""
    reviewed = list(
        Review.objects.filter(project=project, status=Review.Status.DONE)
        .order_by("-finished_at", "-document_id")
        .values_list("document_id", flat=True)[:QUALITY_DOCUMENTS]
    )
    gold: dict[int, list[tuple[int, int, str]]] = {document: [] for document in reviewed}
    for document, start, end, label in GoldSpan.objects.filter(
        document_id__in=reviewed
    ).values_list("document_id", "start", "end", "label__key"):
        gold[document].append((start, end, label))
    ignored: dict[int, list[tuple[int, int]]] = {document: [] for document in reviewed}
    for document, start, end in IgnoredRegion.objects.filter(document_id__in=reviewed).values_list(
        "document_id", "start", "end"
    ):
        ignored[document].append((start, end))
    gazetteer = project_gazetteer(project)
    labels = _labels(project)
    texts = dict(project.documents.filter(pk__in=reviewed).values_list("pk", "text"))
    qualities = []
    for document in reviewed:
        suggestions = _suggestions_for(
            texts[document], labels, gazetteer, ignored=ignored[document]
        )
        qualities.append(scored(suggestions, gold[document]))
    spans = Span.objects.filter(assignment__document__project=project)
    return SuggestionReport(
        quality=pooled_quality(qualities),
        documents=len(reviewed),
        accepted=spans.filter(from_suggestion=True).count(),
        spans=spans.count(),
    )
