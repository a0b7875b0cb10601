import io

import pytest

from annotator.models import Span
from annotator.services import (
    AssignmentClosed,
    AttributesRejected,
    SpanRejected,
    assignment_next,
    assignment_submit,
    document_import,
    project_create,
    span_create,
    span_delete,
    span_relabel,
    span_set_attributes,
)

TEXT = "Pro-Assad forces killed at least 16 civilians 👩‍👧 in Idlib Province on Monday."


@pytest.fixture
def assignment(project, annotator):
    document_import(project=project, files=[("a.txt", io.BytesIO(TEXT.encode()))])
    return assignment_next(project=project, annotator=annotator)


@pytest.fixture
def labels(project):
    return {label.key: label for label in project.labels.all()}


def at(phrase):
    start = TEXT.index(phrase)
    return {"start": start, "end": start + len(phrase)}


def test_create_stores_offsets_and_prefills_the_figure(assignment, labels):
    span = span_create(
        assignment=assignment, label=labels["CASUALTY_FIGURE"], **at("at least 16 civilians")
    )
    assert TEXT[span.start : span.end] == "at least 16 civilians"
    assert span.attributes == {
        "value": 16,
        "qualifier": "at_least",
        "value_low": 16,
        "victim_status": "unknown",
    }


def test_offsets_are_code_points_after_an_emoji(assignment, labels):
    span = span_create(assignment=assignment, label=labels["LOCATION"], **at("Idlib"))
    assert span.start == TEXT.index("Idlib")
    assert assignment.document.text[span.start : span.end] == "Idlib"


def test_same_span_twice_is_one_span(assignment, labels):
    first = span_create(assignment=assignment, label=labels["LOCATION"], **at("Idlib"))
    second = span_create(assignment=assignment, label=labels["LOCATION"], **at("Idlib"))
    assert first.pk == second.pk
    assert (first.already_saved, second.already_saved) == (False, True)
    assert Span.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(-1, 3, "start"), (5, 5, "end"), (0, len(TEXT) + 1, "end"), ("x", 3, "start")],
)
def test_bad_offsets_are_refused_naming_the_field(assignment, labels, start, end, field):
    with pytest.raises(SpanRejected) as error:
        span_create(assignment=assignment, label=labels["ACTOR"], start=start, end=end)
    assert error.value.field == field
    assert Span.objects.count() == 0


def test_label_of_another_project_is_refused(assignment):
    other = project_create(slug="other", name="Other").labels.first()
    with pytest.raises(SpanRejected, match="not one of this project's labels"):
        span_create(assignment=assignment, label=other, **at("Idlib"))


def test_overlap_refused_unless_the_project_allows_it(assignment, labels, project):
    span_create(assignment=assignment, label=labels["LOCATION"], **at("Idlib Province"))
    with pytest.raises(SpanRejected, match="overlaps the Location span “Idlib Province”"):
        span_create(assignment=assignment, label=labels["ACTOR"], **at("Idlib"))
    project.allow_overlapping_spans = True
    project.save()
    assert span_create(assignment=assignment, label=labels["ACTOR"], **at("Idlib"))


def test_touching_spans_do_not_overlap(assignment, labels):
    span_create(assignment=assignment, label=labels["ACTOR"], **at("Pro-Assad"))
    assert span_create(assignment=assignment, label=labels["ACTOR"], **at(" forces"))


def test_relabel_keeps_attributes_the_new_label_has(assignment, labels):
    span = span_create(assignment=assignment, label=labels["LOCATION"], **at("Idlib"))
    span_set_attributes(span=span, submitted={"role": "event_location"})
    relabelled = span_relabel(span=span, label=labels["ACTOR"])
    assert relabelled.label.key == "ACTOR"
    assert relabelled.attributes == {}  # ACTOR's role has no value "event_location"
    back = span_relabel(span=relabelled, label=labels["LOCATION"])
    assert back.attributes == {}


def test_set_attributes_validates_and_derives(assignment, labels):
    span = span_create(
        assignment=assignment, label=labels["CASUALTY_FIGURE"], **at("at least 16 civilians")
    )
    saved = span_set_attributes(
        span=span, submitted={"outcome": "killed", "qualifier": "exact", "value": "16"}
    )
    assert saved.attributes == {
        "outcome": "killed",
        "qualifier": "exact",
        "value": 16,
        "value_low": 16,
        "value_best": 16,
        "value_high": 16,
    }
    with pytest.raises(AttributesRejected) as error:
        span_set_attributes(span=span, submitted={"outcome": "vanished"})
    assert set(error.value.errors) == {"outcome"}
    span.refresh_from_db()
    assert span.attributes["outcome"] == "killed"


def test_nothing_changes_after_submit(assignment, labels):
    span = span_create(assignment=assignment, label=labels["LOCATION"], **at("Idlib"))
    assignment_submit(assignment=assignment)
    for change in (
        lambda: span_create(assignment=assignment, label=labels["ACTOR"], **at("Monday")),
        lambda: span_relabel(span=span, label=labels["ACTOR"]),
        lambda: span_set_attributes(span=span, submitted={}),
        lambda: span_delete(span=span),
    ):
        with pytest.raises(AssignmentClosed, match="submitted"):
            change()
    assert Span.objects.get().label.key == "LOCATION"


def test_delete(assignment, labels):
    span = span_create(assignment=assignment, label=labels["LOCATION"], **at("Idlib"))
    span_delete(span=span)
    assert Span.objects.count() == 0
