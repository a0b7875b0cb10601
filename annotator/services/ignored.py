"""Ignored regions: stretches of a document a lead marks as not part of the report.

Agreement leaves them out, so a change re-computes the document's figures (and asks for the
project's to be added up again); span creation refuses them (services/spans.py).
"""

from django.db import transaction

from ..domain.ignored import find_boilerplate
from ..models import Document, IgnoredRegion
from .agreement import agreement_refresh_request, documents_agreement_compute
from .errors import ServiceError


def ignored_region_add(
    *, document: Document, start, end, reason: str = "", actor=None
) -> IgnoredRegion:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ServiceError("Start and end must be whole numbers.", field="start")
    if not 0 <= start < end <= len(document.text):
        raise ServiceError(
            f"[{start}, {end}) is not a stretch of this document's "
            f"{len(document.text)} characters.",
            field="start",
        )
    with transaction.atomic():
        # The document row is locked so that two leads cannot add overlapping regions at once.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        clash = document.ignored.filter(start__lt=end, end__gt=start).first()
        if clash is not None:
            raise ServiceError(
                f"This overlaps the ignored region [{clash.start}, {clash.end}): remove it first.",
                field="start",
            )
        region = IgnoredRegion.objects.create(
            document=document, start=start, end=end, reason=reason[:200], created_by=actor
        )
        _agreement_again(document)
    return region


def ignored_region_remove(*, region: IgnoredRegion) -> None:
    with transaction.atomic():
        document = region.document
        IgnoredRegion.objects.filter(pk=region.pk).delete()
        _agreement_again(document)


def _agreement_again(document: Document) -> None:
    documents_agreement_compute(document.project, [document.pk])
    agreement_refresh_request(document.project)


def ignored_regions(document: Document) -> list[IgnoredRegion]:
    """The document's regions, each with its `text`, for the lead's list."""
    regions = list(document.ignored.all())
    for region in regions:
        region.text = document.text[region.start : region.end]
    return regions


def boilerplate_proposals(document: Document) -> list[dict]:
    """find_boilerplate's regions that overlap no region already marked, with their text: what
    a lead may still ignore with one click."""
    marked = list(document.ignored.values_list("start", "end"))
    return [
        {**region._asdict(), "text": document.text[region.start : region.end]}
        for region in find_boilerplate(document.text)
        if not any(start < region.end and region.start < end for start, end in marked)
    ]
