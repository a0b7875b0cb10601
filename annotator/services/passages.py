"""Shared passages: the paragraphs a project's documents have in common, stored as clusters.

Recomputed as a whole (`passages_refresh`) after every committed import, in the background:
which paragraphs are shared depends on every document, and a new document can join or merge
existing clusters. Reads here are what the annotate, review and passages pages show.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from ..domain.attributes import without_derived
from ..domain.ignored import outside_ignored
from ..domain.passages import PassageCluster as ClusterValue
from ..domain.passages import carried_cluster_spans, passage_clusters
from ..models import Document, GoldSpan, PassageCluster, PassageOccurrence, Project, Review
from ..tasks import refresh_passages

_CHUNK = 500
FIRST_WORDS = 12


def passages_refresh_request(project: Project) -> None:
    """Recompute the project's clusters in the background once the current transaction
    commits (the task must see the documents just imported)."""
    transaction.on_commit(partial(refresh_passages.enqueue, project.pk))


def passages_refresh(
    *, project: Project, progress: Callable[[int], None] | None = None
) -> list[PassageCluster]:
    """Replace the project's clusters with those its documents give now.

    Texts are streamed a chunk at a time; the clusters are written in one transaction, so a
    reader sees the old clusters or the new ones, never a mix."""
    found = passage_clusters(_texts(project, progress))
    with transaction.atomic():
        PassageCluster.objects.filter(project=project).delete()
        clusters = PassageCluster.objects.bulk_create(
            [PassageCluster(project=project, exact=cluster.exact) for cluster in found],
            batch_size=_CHUNK,
        )
        PassageOccurrence.objects.bulk_create(
            (
                PassageOccurrence(cluster=stored, document_id=doc_id, start=start, end=end)
                for stored, cluster in zip(clusters, found, strict=True)
                for doc_id, start, end in cluster.members
            ),
            batch_size=_CHUNK,
        )
    return clusters


def _texts(project: Project, progress):
    rows = Document.objects.filter(project=project).order_by("pk").values_list("pk", "text")
    for done, row in enumerate(rows.iterator(chunk_size=_CHUNK), start=1):
        yield row
        if progress and done % _CHUNK == 0:
            progress(done)


@dataclass(frozen=True)
class SharedParagraph:
    """A paragraph of one document and the other documents its passage is also in."""

    start: int
    end: int
    exact: bool
    others: tuple[int, ...]
    text: str


def shared_paragraphs(document: Document) -> list[SharedParagraph]:
    """The document's paragraphs that other documents of its project share, in text order.
    Only document ids are told: never anything annotated in them."""
    own = list(
        PassageOccurrence.objects.filter(document=document)
        .select_related("cluster")
        .order_by("start", "end")
    )
    others: dict[int, set[int]] = {}
    for cluster_id, doc_id in PassageOccurrence.objects.filter(
        cluster_id__in={occurrence.cluster_id for occurrence in own}
    ).values_list("cluster_id", "document_id"):
        if doc_id != document.pk:
            others.setdefault(cluster_id, set()).add(doc_id)
    return [
        SharedParagraph(
            o.start,
            o.end,
            o.cluster.exact,
            tuple(sorted(others[o.cluster_id])),
            document.text[o.start : o.end],
        )
        for o in own
        if others.get(o.cluster_id)
    ]


def passages_decided_elsewhere(document: Document) -> list[dict]:
    """Gold spans decided (review done) in other documents of the clusters this document is
    in, carried onto the same words here: suggestions for its review, as
    {start, end, label, attributes (as JSON, for the page's button), source, text} with
    `source` the document they were decided in.
    Spans the document's gold already has, and spans in its ignored regions, are left out."""
    own = PassageOccurrence.objects.filter(document=document).values_list("cluster_id", flat=True)
    members = list(
        PassageOccurrence.objects.filter(cluster_id__in=list(own)).values_list(
            "cluster_id", "cluster__exact", "document_id", "start", "end"
        )
    )
    sources = {doc_id for _, _, doc_id, _, _ in members if doc_id != document.pk}
    decided = set(
        Review.objects.filter(document_id__in=sources, status=Review.Status.DONE).values_list(
            "document_id", flat=True
        )
    )
    if not decided:
        return []
    clusters: dict[int, list] = {}
    exact: dict[int, bool] = {}
    for cluster_id, is_exact, doc_id, start, end in members:
        clusters.setdefault(cluster_id, []).append((doc_id, start, end))
        exact[cluster_id] = is_exact
    texts = dict(Document.objects.filter(pk__in=[*decided, document.pk]).values_list("pk", "text"))
    gold: dict[int, list] = {}
    for span in GoldSpan.objects.filter(document_id__in=decided).select_related("label"):
        # Derived values (value_low, …) are computed again for the span where it lands.
        attributes = without_derived(span.label.attribute_specs, span.attributes)
        gold.setdefault(span.document_id, []).append(
            (span.start, span.end, span.label.key, attributes, span.document_id)
        )
    present = {
        (span.start, span.end, span.label.key)
        for span in GoldSpan.objects.filter(document=document).select_related("label")
    }
    # A paragraph shared by an outlet's reports is often its own furniture (a link to another
    # story): ignored here, it is no place to offer gold decided where it was not ignored.
    ignored = list(document.ignored.values_list("start", "end"))
    offered: dict[tuple, dict] = {}
    for cluster_id, cluster_members in clusters.items():
        value = ClusterValue(str(cluster_id), tuple(sorted(cluster_members)), exact[cluster_id])
        for start, end, label, attributes, source in outside_ignored(
            carried_cluster_spans(value, texts, gold, document.pk), ignored
        ):
            if (start, end, label) not in present:
                offered.setdefault(
                    (start, end, label),
                    {
                        "start": start,
                        "end": end,
                        "label": label,
                        "attributes": json.dumps(attributes),
                        "source": source,
                        "text": texts[document.pk][start:end],
                    },
                )
    return [offered[key] for key in sorted(offered)]


def project_clusters(project: Project):
    """The project's clusters with their members' documents, for the leads' list."""
    return PassageCluster.objects.filter(project=project).prefetch_related("members__document")


def describe_clusters(clusters) -> None:
    """Give each cluster its `first_words` and its distinct `documents`, for the list."""
    for cluster in clusters:
        members = list(cluster.members.all())
        words = members[0].document.text[members[0].start : members[0].end].split()
        cluster.first_words = " ".join(words[:FIRST_WORDS]) + (
            " …" if len(words) > FIRST_WORDS else ""
        )
        distinct = {member.document_id: member.document for member in members}
        cluster.documents = [distinct[pk] for pk in sorted(distinct)]
