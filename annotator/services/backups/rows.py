"""A batch of a backup's document records as the rows of each table."""

from collections.abc import Callable

from ...domain.backups import changes_mapped, review_gold_ids
from ...models import (
    Assignment,
    Document,
    GoldComparison,
    GoldLink,
    GoldSpan,
    IgnoredRegion,
    Label,
    Project,
    Review,
    ReviewEvent,
    Span,
    SpanLink,
)
from .raw import ids_reserve, rows_insert
from .writing import (
    ASSIGNMENT_FIELDS,
    DOCUMENT_FIELDS,
    EVENT_FIELDS,
    GOLD_FIELDS,
    IGNORED_FIELDS,
    REVIEW_FIELDS,
    SPAN_FIELDS,
    pick,
)

# The tables whose ids a restore keeps where it can, by their name in the file.
MODELS = {
    "project": Project,
    "label": Label,
    "document": Document,
    "assignment": Assignment,
    "gold": GoldSpan,
    "event": ReviewEvent,
}


class DocumentRows:
    """A batch of document records as the rows of each table, with their ids."""

    def __init__(self, restore):
        self.restore = restore
        self.tables: dict[type, list] = {
            model: []
            for model in (
                Document,
                Assignment,
                Span,
                SpanLink,
                GoldComparison,
                Review,
                GoldSpan,
                GoldLink,
                ReviewEvent,
                IgnoredRegion,
            )
        }

    def insert(self, pending: list[tuple[int, dict]]) -> None:
        restore = self.restore
        ids = self._ids(pending)
        # Spans keep no ids, but their links need them: new ids set aside for the batch's.
        count = sum(len(given["spans"]) for _, r in pending for given in r["assignments"])
        self.span_ids = iter(ids_reserve(Span, count))
        for _, record in pending:
            self._document(record, ids)
        lines = (pending[0][0], pending[-1][0])
        for model, rows in self.tables.items():
            rows_insert(model, rows, lines)
        for model, kind in COUNTED.items():
            restore.counts[kind] += len(self.tables[model])

    def _ids(self, pending) -> dict[str, Callable[[int], int]]:
        """old id → new id of each kind: the same where they are kept, else new ones set aside."""
        named: dict[str, list[int]] = {
            kind: [] for kind in ("document", "assignment", "gold", "event")
        }
        for line, record in pending:
            found = {
                "document": [record["id"]],
                "assignment": [assignment["id"] for assignment in record["assignments"]],
                "gold": sorted(review_gold_ids(record["review"])) if record["review"] else [],
                "event": [event["id"] for event in (record["review"] or {}).get("events", [])],
            }
            for kind, ids in found.items():
                if self.restore.keep:
                    self.restore.kept(kind, ids, line)
                named[kind].extend(ids)
        if self.restore.keep:
            return dict.fromkeys(named, _same)
        return {kind: _renumbered(MODELS[kind], old) for kind, old in named.items()}

    def _document(self, record: dict, ids: dict) -> None:
        project, labels, users = self.restore.project, self.restore.labels, self.restore.users
        document = ids["document"](record["id"])
        self.tables[Document].append(
            Document(id=document, project=project, **pick(record, DOCUMENT_FIELDS))
        )
        for given in record["assignments"]:
            assignment = ids["assignment"](given["id"])
            self.tables[Assignment].append(
                Assignment(
                    id=assignment,
                    document_id=document,
                    annotator_id=users[given["annotator"]],
                    **pick(given, ASSIGNMENT_FIELDS),
                )
            )
            spans = [
                Span(
                    id=next(self.span_ids),
                    assignment_id=assignment,
                    label=labels[span["label"]],
                    **pick(span, SPAN_FIELDS),
                )
                for span in given["spans"]
            ]
            self.tables[Span].extend(spans)
            self.tables[SpanLink].extend(
                SpanLink(
                    assignment_id=assignment,
                    source_id=spans[link["source"]].id,
                    target_id=spans[link["target"]].id,
                    kind=link["kind"],
                    created_at=link["created_at"],
                )
                for link in given["links"]
            )
            if given["gold_comparison"]:
                self.tables[GoldComparison].append(
                    GoldComparison(assignment_id=assignment, **given["gold_comparison"])
                )
        if record["review"]:
            self._review(document, record["review"], ids)
        users = self.restore.users
        self.tables[IgnoredRegion].extend(
            IgnoredRegion(
                document_id=document,
                created_by_id=None if region["created_by"] is None else users[region["created_by"]],
                **pick(region, IGNORED_FIELDS),
            )
            for region in record["ignored"]
        )

    def _review(self, document: int, review: dict, ids: dict) -> None:
        restore = self.restore

        def user(pk):
            return restore.users.get(pk, pk)

        self.tables[Review].append(
            Review(
                document_id=document,
                project=restore.project,
                lead_id=None if review["lead"] is None else user(review["lead"]),
                **pick(review, REVIEW_FIELDS),
            )
        )
        self.tables[GoldSpan].extend(
            GoldSpan(
                id=ids["gold"](gold["id"]),
                document_id=document,
                label=restore.labels[gold["label"]],
                decided_by_id=None if gold["decided_by"] is None else user(gold["decided_by"]),
                exact_annotators=[user(pk) for pk in gold["exact_annotators"]],
                variant_annotators=[user(pk) for pk in gold["variant_annotators"]],
                **pick(gold, GOLD_FIELDS),
            )
            for gold in review["gold"]
        )
        self.tables[GoldLink].extend(
            GoldLink(
                review_id=document,
                source_id=ids["gold"](link["source"]),
                target_id=ids["gold"](link["target"]),
                kind=link["kind"],
                annotators=[user(pk) for pk in link["annotators"]],
            )
            for link in review["links"]
        )
        self.tables[ReviewEvent].extend(
            ReviewEvent(
                id=ids["event"](event["id"]),
                review_id=document,
                lead_id=None if event["lead"] is None else user(event["lead"]),
                changes=changes_mapped(
                    event["changes"],
                    gold=ids["gold"],
                    label=lambda pk: restore.label_ids.get(pk, pk),
                    user=user,
                ),
                **pick(event, EVENT_FIELDS),
            )
            for event in review["events"]
        )


def _renumbered(model, old: list[int]) -> Callable[[int], int]:
    # In the order of the old ids: review events are undone in the order of their ids.
    return dict(zip(sorted(old), ids_reserve(model, len(old)), strict=True)).__getitem__


def _same(pk: int) -> int:
    return pk


# What the header's counts call each table.
COUNTED = {
    Document: "documents",
    Assignment: "assignments",
    Span: "spans",
    SpanLink: "span_links",
    GoldComparison: "gold_comparisons",
    Review: "reviews",
    GoldSpan: "gold_spans",
    GoldLink: "gold_links",
    ReviewEvent: "review_events",
    IgnoredRegion: "ignored_regions",
}
