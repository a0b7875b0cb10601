import pytest

from annotator.domain.suggest import STARTER_GAZETTEER
from annotator.models import GazetteerEntry, IgnoredRegion, Membership, Span
from annotator.services import (
    ServiceError,
    assignment_next,
    document_suggestions,
    gazetteer_add_starter,
    gazetteer_entry_save,
    membership_set,
    project_set_suggestions,
    span_create,
    suggestions_measure,
)

from ..annotating import import_texts, phrase_at

TEXT = "Russian jets struck Idlib Province on Monday, killing at least 2,200 civilians in Ariha."


@pytest.fixture
def labels(project):
    return {label.key: label for label in project.labels.all()}


@pytest.fixture
def assignment(project, annotator, labels):
    gazetteer_entry_save(project=project, label=labels["LOCATION"], name="Idlib")
    gazetteer_entry_save(
        project=project,
        label=labels["ACTOR"],
        name="Russia",
        aliases=["Russian jets"],
        attributes={"actor_type": "foreign_state"},
    )
    import_texts(project, [TEXT])
    return assignment_next(project=project, annotator=annotator)


def shown(suggestions, text=TEXT):
    return [(text[s.start : s.end], s.label) for s in suggestions]


def test_figures_and_the_gazetteers_names_are_suggested_in_text_order(assignment):
    assert shown(document_suggestions(assignment=assignment)) == [
        ("Russian jets", "ACTOR"),
        ("Idlib", "LOCATION"),
        ("at least 2,200 civilians", "CASUALTY_FIGURE"),
    ]


def test_attributes_are_those_the_label_takes_as_typed(assignment):
    figure = document_suggestions(assignment=assignment)[2]
    assert figure.attributes["value"] == 2200
    assert figure.attributes["qualifier"] == "at_least"
    assert figure.attributes["outcome"] == "killed"
    # value_low/best/high are computed by the schema on save: sent, they would be refused.
    assert not {"value_low", "value_best", "value_high"} & set(figure.attributes)
    place, actor = document_suggestions(assignment=assignment)[1::-1]
    assert place.attributes == {"feature_type": "governorate"}  # "Idlib Province"
    assert actor.attributes == {"actor_type": "foreign_state"}


def test_nothing_is_suggested_when_the_project_turned_them_off(project, assignment):
    project_set_suggestions(project=project, enabled=False)
    assignment.refresh_from_db()
    assert document_suggestions(assignment=assignment) == []


def test_own_spans_and_ignored_regions_are_skipped(assignment, labels):
    start, end = phrase_at(assignment.document, "Russian")
    span_create(assignment=assignment, label=labels["ACTOR"], start=start, end=end)
    start, end = phrase_at(assignment.document, "Idlib Province")
    IgnoredRegion.objects.create(document=assignment.document, start=start, end=end)
    assert shown(document_suggestions(assignment=assignment)) == [
        ("at least 2,200 civilians", "CASUALTY_FIGURE")
    ]


def test_another_annotators_spans_change_nothing_that_is_suggested(
    project, assignment, labels, make_user
):
    # Blindness: suggestions come from rules and the gazetteer, never from others' work.
    before = document_suggestions(assignment=assignment)
    other = make_user("annotator2")
    membership_set(project=project, username=other.username, role=Membership.Role.ANNOTATOR)
    theirs = assignment_next(project=project, annotator=other)
    assert theirs.document == assignment.document
    for phrase, key in (("Ariha", "LOCATION"), ("Monday", "ACTOR")):
        start, end = phrase_at(theirs.document, phrase)
        span_create(assignment=theirs, label=labels[key], start=start, end=end)
    assert document_suggestions(assignment=assignment) == before


def test_labels_the_project_lacks_are_not_suggested(project, assignment):
    project.labels.filter(key="CASUALTY_FIGURE").delete()
    assert [s.label for s in document_suggestions(assignment=assignment)] == ["ACTOR", "LOCATION"]


def test_a_suggestion_is_no_span_until_accepted(assignment, labels):
    suggestions = document_suggestions(assignment=assignment)
    assert not Span.objects.exists()
    figure = suggestions[2]
    span = span_create(
        assignment=assignment,
        label=labels[figure.label],
        start=figure.start,
        end=figure.end,
        attributes=dict(figure.attributes),
        from_suggestion=True,
    )
    span.refresh_from_db()
    assert span.from_suggestion
    assert span.attributes["value_low"] == 2200  # derived on save from the accepted values
    assert span.attributes["outcome"] == "killed"
    assert len(document_suggestions(assignment=assignment)) == 2


def test_spans_made_by_hand_are_not_marked_as_suggested(assignment, labels):
    span = span_create(assignment=assignment, label=labels["LOCATION"], start=20, end=25)
    assert not span.from_suggestion


def test_the_measure_scores_suggestions_against_gold(project, reviewed):
    gazetteer_add_starter(project=project)
    report = suggestions_measure(project=project)
    assert report.documents == 2  # the third report is not reviewed
    rows = {label: (exact, overlap) for label, exact, overlap in report.rows()}
    # Gold: Idlib and Aleppo, and Russia or "Russia struck"; the starter list finds all three
    # names, and by rule "3 people", which nobody marked.
    assert rows["LOCATION"][0].recall == 1.0
    assert rows["LOCATION"][0].precision == 1.0
    assert rows["ACTOR"][1].recall == 1.0
    assert rows["CASUALTY_FIGURE"][0].true_positives == 0
    assert rows["CASUALTY_FIGURE"][0].precision == 0.0
    assert rows["all"][1].true_positives == 6
    assert (report.accepted, report.spans) == (0, Span.objects.count())


def test_the_measure_counts_spans_accepted_from_suggestions(assignment, labels, project):
    span_create(
        assignment=assignment, label=labels["LOCATION"], start=20, end=25, from_suggestion=True
    )
    span_create(assignment=assignment, label=labels["ACTOR"], start=0, end=7)
    report = suggestions_measure(project=project)
    assert (report.accepted, report.spans, report.documents) == (1, 2, 0)


# The gazetteer --------------------------------------------------------------------------------


def test_the_starter_list_is_added_once(project):
    added = gazetteer_add_starter(project=project)
    assert added == len(STARTER_GAZETTEER) == GazetteerEntry.objects.count()
    assert gazetteer_add_starter(project=project) == 0
    assert GazetteerEntry.objects.count() == added


def test_the_starter_list_keeps_what_the_lead_changed(project, labels):
    gazetteer_entry_save(project=project, label=labels["LOCATION"], name="Idlib", aliases=["Edlib"])
    gazetteer_add_starter(project=project)
    assert GazetteerEntry.objects.get(name="Idlib").aliases == ["Edlib"]


def test_a_new_project_has_an_empty_gazetteer(project):
    assert not project.gazetteer.exists()


def test_attribute_values_are_checked_against_the_labels_schema(project, labels):
    with pytest.raises(ServiceError) as refusal:
        gazetteer_entry_save(
            project=project,
            label=labels["ACTOR"],
            name="Wagner",
            attributes={"actor_type": "mercenary"},
        )
    assert refusal.value.field == "attributes"
    assert "actor_type" in refusal.value.message
    assert not GazetteerEntry.objects.exists()


def test_an_entry_is_a_place_or_a_party_and_unique_by_name(project, labels):
    with pytest.raises(ServiceError):
        gazetteer_entry_save(project=project, label=labels["CASUALTY_FIGURE"], name="dozens")
    gazetteer_entry_save(project=project, label=labels["ACTOR"], name="  Hay'at  Tahrir al-Sham ")
    with pytest.raises(ServiceError) as refusal:
        gazetteer_entry_save(project=project, label=labels["ACTOR"], name="Hay'at Tahrir al-Sham")
    assert "already" in refusal.value.message
    assert GazetteerEntry.objects.get().name == "Hay'at Tahrir al-Sham"


def test_an_entry_is_changed_in_place(project, labels):
    entry = gazetteer_entry_save(project=project, label=labels["ACTOR"], name="HTS")
    gazetteer_entry_save(
        project=project,
        label=labels["ACTOR"],
        name="Hay'at Tahrir al-Sham",
        aliases=["HTS", "Hay'at Tahrir al-Sham", ""],
        entry=entry,
    )
    entry.refresh_from_db()
    assert (entry.name, entry.aliases) == ("Hay'at Tahrir al-Sham", ["HTS"])
    assert GazetteerEntry.objects.count() == 1
