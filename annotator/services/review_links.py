"""The links of a review: the annotators' links as candidates between the merged span groups,
and the gold links a lead accepts among them.

A candidate is shown between the gold spans its groups became (`domain.links.group_gold`); it
can be accepted only when both are gold. The links every annotator made are accepted when the
review is prepared, between the spans that are gold then (the unanimous ones); the others wait
for the lead. `reviews.review_link_decide` locks and versions a decision; the functions here
apply it on the locked review and record what undo needs.
"""

from dataclasses import dataclass

from ..domain.adjudication import Merge
from ..domain.links import KINDS, Link, group_gold, link_problem, links_merge, span_groups
from ..models import Assignment, Document, GoldLink, GoldSpan, Review, SpanLink
from .errors import ServiceError

LINK_ACTIONS = ("accept", "reject")


@dataclass
class LinkCandidate:
    kind: str
    source_text: str
    target_text: str
    source: int | tuple | None  # the gold span each end became (a key before the review exists)
    target: int | tuple | None
    annotators: tuple  # user ids of those who made it
    agreed: bool
    conflicting: bool
    accepted: bool

    @property
    def title(self) -> str:
        return KINDS[self.kind].title

    @property
    def ends_gold(self) -> bool:
        return self.source is not None and self.target is not None


def annotator_links(document: Document, annotators) -> dict:
    """{annotator: their links between span keys (start, end, label)}, submitted work only."""
    links = {annotator: [] for annotator in annotators}
    rows = SpanLink.objects.filter(
        assignment__document=document, assignment__status=Assignment.Status.SUBMITTED
    ).values_list(
        "assignment__annotator_id",
        "source__start",
        "source__end",
        "source__label__key",
        "target__start",
        "target__end",
        "target__label__key",
        "kind",
    )
    for annotator, s_start, s_end, s_label, t_start, t_end, t_label, kind in rows:
        if annotator in links:
            links[annotator].append(
                Link((s_start, s_end, s_label), (t_start, t_end, t_label), kind)
            )
    return links


def link_candidates(document: Document, candidates: Merge, gold, review) -> list[LinkCandidate]:
    """The review's candidate links, agreed first, then the gold links no annotator made."""
    merged = links_merge(
        annotator_links(document, candidates.annotators),
        span_groups(candidates.agreed, candidates.groups),
    )
    ends = [(_gold_id(span), span.start, span.end, span.label.key) for span in gold]
    where = {end[0]: (end[1], end[2]) for end in ends}
    made = set(review.links.values_list("source_id", "target_id", "kind")) if review else set()
    found, covered = [], set()
    for candidate in merged.candidates:
        source, target = group_gold(candidate.source, ends), group_gold(candidate.target, ends)
        both = source is not None and target is not None
        if review is None:
            # Not prepared yet: the agreed links between its gold spans will be accepted.
            accepted = both and candidate.agreed
        else:
            accepted = both and (source, target, candidate.kind) in made
        covered.add((source, target, candidate.kind))
        found.append(
            LinkCandidate(
                kind=candidate.kind,
                source_text=_text(document, where.get(source, candidate.source[:2])),
                target_text=_text(document, where.get(target, candidate.target[:2])),
                source=source,
                target=target,
                annotators=candidate.annotators,
                agreed=candidate.agreed,
                conflicting=candidate.conflicting,
                accepted=accepted,
            )
        )
    for source, target, kind in sorted(made - covered, key=str):
        found.append(
            LinkCandidate(
                kind=kind,
                source_text=_text(document, where[source]),
                target_text=_text(document, where[target]),
                source=source,
                target=target,
                annotators=(),
                agreed=False,
                conflicting=False,
                accepted=True,
            )
        )
    return found


def links_prepare(review: Review, candidates: Merge) -> None:
    """Accept the links every annotator made between spans that are gold now."""
    document = review.document
    gold = list(GoldSpan.objects.filter(document=document).select_related("label"))
    GoldLink.objects.bulk_create(
        GoldLink(
            review=review,
            source_id=candidate.source,
            target_id=candidate.target,
            kind=candidate.kind,
            annotators=list(candidate.annotators),
        )
        for candidate in link_candidates(document, candidates, gold, None)
        if candidate.accepted
    )


def link_decide(review, lead, candidates, *, action, source, target, kind) -> tuple[str, dict]:
    """Accept or reject one link between gold spans; (summary, changes) for its event."""
    if action not in LINK_ACTIONS:
        raise ServiceError(f"Unknown link action '{action}'.", field="action")
    document = review.document
    spans = {
        span.pk: span
        for span in GoldSpan.objects.filter(
            document=document, pk__in=[source, target]
        ).select_related("label")
    }
    if source not in spans or target not in spans:
        raise ServiceError(
            "Both ends of a link must be gold spans: accept the figure and the span it links "
            "to first.",
            field="target",
        )
    summary = (
        f"“{_text(document, (spans[source].start, spans[source].end))}” "
        f"{KINDS[kind].title if kind in KINDS else kind} "
        f"“{_text(document, (spans[target].start, spans[target].end))}”"
    )
    if action == "reject":
        found = review.links.filter(source_id=source, target_id=target, kind=kind).first()
        if found is None:
            raise ServiceError("That link is not in the gold.", field="kind")
        removed = links_snapshot(GoldLink.objects.filter(pk=found.pk))
        found.delete()
        return f"Rejected link {summary}", {"links_removed": removed}
    labels = {pk: span.label.key for pk, span in spans.items()}
    existing = [Link(*row) for row in review.links.values_list("source_id", "target_id", "kind")]
    problem = link_problem(Link(source, target, kind), labels, existing)
    if problem:
        field, reason = problem
        raise ServiceError(reason, field=field)
    gold = list(GoldSpan.objects.filter(document=document).select_related("label"))
    proposers = next(
        (
            list(c.annotators)
            for c in link_candidates(document, candidates, gold, review)
            if (c.source, c.target, c.kind) == (source, target, kind)
        ),
        [],
    )
    link = GoldLink.objects.create(
        review=review, source_id=source, target_id=target, kind=kind, annotators=proposers
    )
    return f"Accepted link {summary}", {"links_added": [link.pk]}


def links_snapshot(links) -> list[dict]:
    """Copies of gold links, for undo to put back (a removed gold span takes its links)."""
    return [
        {
            "id": link.pk,
            "source_id": link.source_id,
            "target_id": link.target_id,
            "kind": link.kind,
            "annotators": link.annotators,
        }
        for link in links
    ]


def links_touching(span_ids) -> list[dict]:
    ids = list(span_ids)
    return links_snapshot(
        GoldLink.objects.filter(source_id__in=ids) | GoldLink.objects.filter(target_id__in=ids)
    )


def links_undo(review: Review, changes: dict) -> None:
    review.links.filter(pk__in=changes.get("links_added", [])).delete()
    GoldLink.objects.bulk_create(
        GoldLink(review=review, **snapshot) for snapshot in changes.get("links_removed", [])
    )


def links_drop_unfit(review: Review) -> None:
    """Drop the gold links whose ends were relabelled since into labels their kind does not
    join: what is finished holds only links that make sense."""
    unfit = [
        link.pk
        for link in review.links.select_related("source__label", "target__label")
        if link.source.label.key != KINDS[link.kind].source_label
        or link.target.label.key != KINDS[link.kind].target_label
    ]
    GoldLink.objects.filter(pk__in=unfit).delete()


def _gold_id(span: GoldSpan):
    return span.pk if span.pk is not None else (span.start, span.end, span.label.key)


def _text(document: Document, region) -> str:
    text = document.text[region[0] : region[1]]
    return text if len(text) <= 60 else text[:59] + "…"
