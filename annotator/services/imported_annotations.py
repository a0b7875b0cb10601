"""What an import does with the spans a file brings: nothing, each annotator's submitted work,
or gold. Imported annotations count for agreement and fill the review queue exactly as if
they had been made here: each is a submitted assignment of a pseudonymous account
(`imported-<tool>-<annotator>`) unless mapped to an existing user.
"""

from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..domain.attributes import clean_attributes, without_derived
from ..domain.import_records import DocumentRecord, SpanRecord
from ..domain.labels import LABEL_KEY_PATTERN
from ..models import (
    Assignment,
    GoldLink,
    GoldSpan,
    IgnoredRegion,
    Label,
    Membership,
    Project,
    Review,
    Span,
    SpanLink,
)
from .assignments import documents_places_recount

MODES = ("none", "annotators", "gold")
_SHORTCUTS = "123456789abcdefghijklmnopqrstuvwxyz0"
_COLOURS = ("#6b7280", "#0f766e", "#9333ea", "#b45309", "#be123c", "#1d4ed8")


@dataclass(frozen=True)
class AnnotationOptions:
    mode: str = "gold"
    create_labels: bool = False  # a label the project lacks is made, rather than refused
    users: tuple[tuple[str, str], ...] = ()  # (source annotator, existing username)


GOLD = AnnotationOptions()  # the default: a file's gold spans come in as gold


def spans_to_keep(record: DocumentRecord, mode: str) -> DocumentRecord | str:
    """The record holding only what `mode` imports: no spans, its annotators' spans, or its
    gold (a file's gold spans, else the one annotation it marks as ground truth, else its only
    annotation); or why its gold cannot be told."""
    if mode == "none":
        return replace(record, gold=(), gold_given=False, annotations=(), links=())
    if mode == "annotators":
        return replace(record, gold=(), gold_given=False, links=())
    if record.gold_given or not record.annotations:
        return replace(record, annotations=())
    marked = [annotation for annotation in record.annotations if annotation.ground_truth]
    if len(record.annotations) == 1:
        chosen = record.annotations[0]
    elif len(marked) == 1:
        chosen = marked[0]
    else:
        return (
            f"{len(record.annotations)} annotations, {len(marked)} of them marked as ground "
            "truth: import them as annotators' work to compare and adjudicate them, or mark "
            "one as the ground truth"
        )
    gold = tuple(replace(span, decision="accepted") for span in distinct(chosen.spans))
    return replace(record, gold=gold, gold_given=True, annotations=(), links=chosen.links)


def options_problem(options: AnnotationOptions) -> str | None:
    """Why the options cannot be used, before anything is read."""
    if options.mode not in MODES:
        return f"Unknown annotations mode '{options.mode}'."
    users = get_user_model().objects
    for source, username in options.users:
        if not users.filter(username=username).exists():
            return f"The work of '{source}' cannot go to '{username}': there is no such user."
    return None


class AnnotationImport:
    """Labels and accounts for one import, and the annotations it stores."""

    def __init__(self, project: Project, options: AnnotationOptions):
        self.project = project
        self.options = options
        self.labels = {label.key: label for label in project.labels.all()}
        self.users: dict[str, object] = {}
        self.assignments = 0
        self.documents: set[int] = set()

    def label_problem(self, spans: list[tuple[str, SpanRecord]]) -> str | None:
        """The first span whose label the project lacks and the import may not make."""
        for where, span in spans:
            if span.label in self.labels:
                continue
            if not self.options.create_labels:
                return (
                    f"{where}.label: the project has no label '{span.label}' (add it, or let "
                    "the import create missing labels)"
                )
            # fullmatch: the pattern's $ also matches before a final newline.
            if not LABEL_KEY_PATTERN.fullmatch(span.label):
                return f"{where}.label: '{span.label}' is not a label key (UPPER_SNAKE_CASE)"
        return None

    def make_labels(self, record: DocumentRecord) -> None:
        """The labels an accepted record uses and the project lacks (create_labels)."""
        for span in [*record.gold, *(s for a in record.annotations for s in a.spans)]:
            if span.label not in self.labels:
                self.labels[span.label] = self._new_label(span.label)

    def store(self, documents: list[tuple[int, DocumentRecord]]) -> int:
        """Each annotation a submitted assignment with its spans; an annotator's second
        annotation of the same document (a repeated import) is left out. Returns how many
        records brought nothing new: duplicates."""
        now = timezone.now()
        wanted = [
            (document_id, self._user(annotation.annotator), record, annotation)
            for document_id, record in documents
            for annotation in record.annotations
        ]
        existing = set(
            Assignment.objects.filter(
                document_id__in={document_id for document_id, *_ in wanted}
            ).values_list("document_id", "annotator_id")
        )
        fresh = []
        for document_id, user, record, annotation in wanted:
            if (document_id, user.pk) not in existing:
                existing.add((document_id, user.pk))
                fresh.append((document_id, user, record, annotation))
        adding = {id(record) for _, _, record, _ in fresh}
        assignments = Assignment.objects.bulk_create(
            Assignment(
                document_id=document_id,
                annotator=user,
                status=Assignment.Status.SUBMITTED,
                submitted_at=now,
            )
            for document_id, user, _, _ in fresh
        )
        spans = Span.objects.bulk_create(
            (
                Span(
                    assignment=assignment,
                    label=self.labels[span.label],
                    start=span.start,
                    end=span.end,
                    attributes=self._attributes(record, span),
                )
                for assignment, (_, _, record, annotation) in zip(assignments, fresh, strict=True)
                for span in distinct(annotation.spans)
            ),
            batch_size=2000,
        )
        stored = {
            (span.assignment_id, span.start, span.end, span.label.key): span for span in spans
        }
        SpanLink.objects.bulk_create(
            SpanLink(
                assignment=assignment,
                source=stored[assignment.pk, *link.source],
                target=stored[assignment.pk, *link.target],
                kind=link.kind,
            )
            for assignment, (_, _, _, annotation) in zip(assignments, fresh, strict=True)
            for link in annotation.links
        )
        documents_places_recount({document_id for document_id, *_ in fresh})
        self.assignments += len(assignments)
        self.documents.update(document_id for document_id, *_ in fresh)
        return sum(1 for _, record in documents if id(record) not in adding)

    def _attributes(self, record: DocumentRecord, span: SpanRecord) -> dict:
        """As the annotator would have them here: checked for the label, derived ones computed
        again. A value the label does not allow is dropped, not refused: the tool that made
        it had no such rule."""
        specs = self.labels[span.label].attribute_specs
        entered = without_derived(specs, span.attributes)
        return clean_attributes(specs, entered, record.text[span.start : span.end]).values

    def _user(self, annotator: str):
        if annotator not in self.users:
            mapped = dict(self.options.users).get(annotator)
            username = mapped or f"imported-{annotator}"[:150]
            user, made = get_user_model().objects.get_or_create(username=username)
            if made:
                user.set_unusable_password()  # an account to hold the work, never to log in
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(
                project=self.project, user=user, defaults={"role": Membership.Role.ANNOTATOR}
            )
            self.users[annotator] = user
        return self.users[annotator]

    def _new_label(self, key: str) -> Label:
        taken = set(self.project.labels.values_list("shortcut", flat=True))
        position = self.project.labels.count()
        label = Label(
            project=self.project,
            key=key,
            name=key.replace("_", " ").capitalize(),
            colour=_COLOURS[position % len(_COLOURS)],
            shortcut=next((c for c in _SHORTCUTS if c not in taken), "0"),
            position=position,
        )
        label.full_clean()
        label.save()
        return label


def distinct(spans: tuple[SpanRecord, ...]) -> tuple[SpanRecord, ...]:
    """A tool may hold the same span twice; here it is one span (the first one's attributes)."""
    first: dict[tuple, SpanRecord] = {}
    for span in spans:
        first.setdefault((span.start, span.end, span.label), span)
    return tuple(first.values())


def gold_links_store(reviews: list[tuple[Review, DocumentRecord]], spans: list[GoldSpan]) -> None:
    """The records' links between their imported gold `spans`, each in its document's review.
    The lead of the source project decided them; who made them there is not in the file."""
    stored = {(span.document_id, span.start, span.end, span.label.key): span for span in spans}
    GoldLink.objects.bulk_create(
        GoldLink(
            review=review,
            source=stored[review.document_id, *link.source],
            target=stored[review.document_id, *link.target],
            kind=link.kind,
        )
        for review, record in reviews
        for link in record.links
    )


def ignored_regions_store(documents: list[tuple[int, DocumentRecord]]) -> None:
    """The ignored regions of newly imported documents (a known text keeps its own)."""
    IgnoredRegion.objects.bulk_create(
        IgnoredRegion(document_id=document, start=start, end=end)
        for document, record in documents
        for start, end in record.ignored
    )
