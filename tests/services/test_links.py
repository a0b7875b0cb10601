import pytest

from annotator.models import Span, SpanLink
from annotator.services import (
    AssignmentClosed,
    LinkRejected,
    SpanGone,
    assignment_next,
    assignment_submit,
    link_create,
    link_delete,
    span_delete,
)
from tests.annotating import import_texts, mark

TEXT = "Russian jets killed at least 16 civilians, including 5 children, in Idlib, the SOHR said."

KILLED = {"outcome": "killed"}


@pytest.fixture
def assignment(project, annotator):
    import_texts(project, [TEXT])
    made = assignment_next(project=project, annotator=annotator)
    mark(
        project,
        made,
        [
            ("CASUALTY_FIGURE", "at least 16 civilians", KILLED),
            ("CASUALTY_FIGURE", "5 children", KILLED),
            ("LOCATION", "Idlib"),
            ("ACTOR", "Russian"),
            ("ACTOR", "SOHR"),
        ],
    )
    return made


@pytest.fixture
def spans(assignment):
    return {TEXT[span.start : span.end]: span for span in assignment.spans.all()}


def test_a_figure_is_linked_to_its_place_actor_source_and_total(assignment, spans):
    figure = spans["at least 16 civilians"]
    link_create(assignment=assignment, source=figure, target=spans["Idlib"], kind="located_at")
    link_create(assignment=assignment, source=figure, target=spans["Russian"], kind="perpetrator")
    link_create(assignment=assignment, source=figure, target=spans["SOHR"], kind="attributed_to")
    link_create(assignment=assignment, source=spans["5 children"], target=figure, kind="part_of")
    made = {
        (
            TEXT[link.source.start : link.source.end],
            link.kind,
            TEXT[link.target.start : link.target.end],
        )
        for link in assignment.links.select_related("source", "target")
    }
    assert made == {
        ("at least 16 civilians", "located_at", "Idlib"),
        ("at least 16 civilians", "perpetrator", "Russian"),
        ("at least 16 civilians", "attributed_to", "SOHR"),
        ("5 children", "part_of", "at least 16 civilians"),
    }


@pytest.mark.parametrize(
    ("source", "target", "kind", "message"),
    [
        ("Idlib", "at least 16 civilians", "located_at", "starts at a CASUALTY_FIGURE"),
        ("at least 16 civilians", "SOHR", "located_at", "ends at a LOCATION"),
        ("at least 16 civilians", "at least 16 civilians", "part_of", "itself"),
        ("at least 16 civilians", "Idlib", "nearby", "Unknown link kind"),
    ],
)
def test_a_wrong_link_is_refused_with_a_reason(assignment, spans, source, target, kind, message):
    with pytest.raises(LinkRejected, match=message):
        link_create(assignment=assignment, source=spans[source], target=spans[target], kind=kind)
    assert not SpanLink.objects.exists()


def test_the_same_link_twice_and_a_loop_are_refused(assignment, spans):
    figure, part = spans["at least 16 civilians"], spans["5 children"]
    link_create(assignment=assignment, source=figure, target=spans["Idlib"], kind="located_at")
    with pytest.raises(LinkRejected, match="already linked"):
        link_create(assignment=assignment, source=figure, target=spans["Idlib"], kind="located_at")
    link_create(assignment=assignment, source=part, target=figure, kind="part_of")
    with pytest.raises(LinkRejected, match="loop"):
        link_create(assignment=assignment, source=figure, target=part, kind="part_of")
    assert SpanLink.objects.count() == 2


def test_a_span_of_another_assignment_cannot_be_linked(members, project, assignment, spans):
    (other,) = members("annotator", "other")
    theirs = assignment_next(project=project, annotator=other)
    mark(project, theirs, [("LOCATION", "Idlib")])
    with pytest.raises(LinkRejected, match="your spans on this document"):
        link_create(
            assignment=assignment,
            source=spans["at least 16 civilians"],
            target=theirs.spans.get(),
            kind="located_at",
        )


def test_a_submitted_assignment_takes_no_new_links_and_keeps_its_own(assignment, spans):
    link = link_create(
        assignment=assignment,
        source=spans["at least 16 civilians"],
        target=spans["Idlib"],
        kind="located_at",
    )
    assignment_submit(assignment=assignment)
    with pytest.raises(AssignmentClosed):
        link_create(
            assignment=assignment,
            source=spans["at least 16 civilians"],
            target=spans["SOHR"],
            kind="attributed_to",
        )
    with pytest.raises(AssignmentClosed):
        link_delete(link=link)
    assert SpanLink.objects.filter(pk=link.pk).exists()


def test_deleting_a_span_deletes_its_links_and_a_deleted_span_is_gone(assignment, spans):
    figure = spans["at least 16 civilians"]
    link_create(assignment=assignment, source=figure, target=spans["Idlib"], kind="located_at")
    span_delete(span=spans["Idlib"])
    assert not SpanLink.objects.exists()
    with pytest.raises(SpanGone):
        link_create(assignment=assignment, source=figure, target=spans["Idlib"], kind="located_at")


def test_delete_removes_the_link_only(assignment, spans):
    link = link_create(
        assignment=assignment,
        source=spans["at least 16 civilians"],
        target=spans["Idlib"],
        kind="located_at",
    )
    link_delete(link=link)
    assert not SpanLink.objects.exists()
    assert Span.objects.count() == 5
