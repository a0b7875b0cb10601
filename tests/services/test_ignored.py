import pytest

from annotator.models import DocumentAgreement, IgnoredRegion
from annotator.services import ServiceError, SpanRejected, span_create
from annotator.services.ignored import (
    boilerplate_proposals,
    ignored_region_add,
    ignored_region_remove,
)

from .. import annotating
from ..annotating import import_texts, phrase_at

TEXT = (
    "Russia struck Idlib; at least 16 civilians were killed.\n"
    "See Syria Daily, July 23: 59 Killed in Pro-Assad Bombing of Idlib Province\n"
    "The White Helmets searched the rubble."
)
LINK = "See Syria Daily, July 23: 59 Killed in Pro-Assad Bombing of Idlib Province"


@pytest.fixture
def document(project):
    [document] = import_texts(project, [TEXT])
    return document


def test_a_lead_ignores_a_region(document, lead):
    start, end = phrase_at(document, LINK)
    region = ignored_region_add(document=document, start=start, end=end, reason="link", actor=lead)
    assert (region.start, region.end, region.reason, region.created_by) == (
        start,
        end,
        "link",
        lead,
    )


@pytest.mark.parametrize(
    ("start", "end"), [(-1, 4), (4, 4), (10, 2), (0, len(TEXT) + 1), ("0", 4), (None, 4)]
)
def test_offsets_outside_the_text_are_refused(document, start, end):
    with pytest.raises(ServiceError):
        ignored_region_add(document=document, start=start, end=end)
    assert not IgnoredRegion.objects.exists()


def test_an_overlapping_region_is_refused(document):
    start, end = phrase_at(document, LINK)
    ignored_region_add(document=document, start=start, end=end)
    with pytest.raises(ServiceError, match="overlaps the ignored region"):
        ignored_region_add(document=document, start=start + 5, end=end + 5)
    # Touching is not overlapping.
    ignored_region_add(document=document, start=end, end=end + 1)
    assert document.ignored.count() == 2


def test_proposals_leave_out_what_is_already_ignored(document):
    [proposal] = boilerplate_proposals(document)
    assert (proposal["text"], proposal["reason"]) == (LINK, "link")
    ignored_region_add(document=document, start=proposal["start"], end=proposal["end"])
    assert boilerplate_proposals(document) == []


def test_span_creation_inside_an_ignored_region_is_refused(project, document, annotator):
    start, end = phrase_at(document, LINK)
    ignored_region_add(document=document, start=start, end=end)
    assignment = annotating.assignment_next(project=project, annotator=annotator)
    figure = project.labels.get(key="CASUALTY_FIGURE")
    inside = phrase_at(document, "59 Killed")
    with pytest.raises(SpanRejected, match="This text is ignored"):
        span_create(assignment=assignment, label=figure, start=inside[0], end=inside[1])
    # Half in, half out is refused too; outside is fine.
    with pytest.raises(SpanRejected):
        span_create(assignment=assignment, label=figure, start=start - 3, end=start + 3)
    outside = phrase_at(document, "at least 16 civilians")
    span_create(assignment=assignment, label=figure, start=outside[0], end=outside[1])


def test_agreement_leaves_ignored_text_out(
    project, document, members, django_capture_on_commit_callbacks
):
    first, second = members("annotator", "ann_a", "ann_b")
    # They agree on Idlib; only the first marks the figure in the link line.
    annotating.annotate(
        project,
        first,
        [("LOCATION", "Idlib"), ("CASUALTY_FIGURE", "59 Killed", {"outcome": "killed"})],
        commit=django_capture_on_commit_callbacks,
    )
    annotating.annotate(
        project, second, [("LOCATION", "Idlib")], commit=django_capture_on_commit_callbacks
    )
    assert DocumentAgreement.objects.get(document=document).score < 1
    start, end = phrase_at(document, LINK)
    region = ignored_region_add(document=document, start=start, end=end)
    assert DocumentAgreement.objects.get(document=document).score == 1
    ignored_region_remove(region=region)
    assert DocumentAgreement.objects.get(document=document).score < 1
