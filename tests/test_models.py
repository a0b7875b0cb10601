import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from annotator.models import Assignment, Document, Label, Span

from .hostile import COLOURS


@pytest.fixture
def assignment(project, annotator):
    document = Document.objects.create(project=project, text="Some text", sha256="0" * 64)
    return Assignment.objects.create(document=document, annotator=annotator)


def refused(**fields) -> bool:
    try:
        with transaction.atomic():
            Span.objects.create(**fields)
    except IntegrityError:
        return True
    return False


def test_database_refuses_empty_or_reversed_spans(assignment, project):
    label = project.labels.first()
    assert refused(assignment=assignment, label=label, start=3, end=3)
    assert refused(assignment=assignment, label=label, start=4, end=2)
    assert not refused(assignment=assignment, label=label, start=0, end=4)
    assert refused(assignment=assignment, label=label, start=0, end=4)  # the same span twice


def test_database_refuses_a_second_assignment_for_the_same_annotator(assignment):
    with pytest.raises(IntegrityError):
        Assignment.objects.create(document=assignment.document, annotator=assignment.annotator)


def test_database_refuses_duplicate_text_and_external_id_in_a_project(project):
    Document.objects.create(project=project, text="a", sha256="a" * 64, external_id="e")
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(project=project, text="a", sha256="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(project=project, text="b", sha256="b" * 64, external_id="e")
    Document.objects.create(project=project, text="c", sha256="c" * 64)  # no id is fine twice
    Document.objects.create(project=project, text="d", sha256="d" * 64)


def test_database_refuses_a_bad_colour(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(project=project, key="X", name="X", colour="red", shortcut="x")


@pytest.mark.parametrize(
    ("field", "value"),
    [("colour", "#ffffff\n"), ("key", "KEY\n"), ("key", "key"), ("key", "K<script>")],
)
def test_database_refuses_a_colour_or_key_with_anything_after_it(project, field, value):
    # Written without full_clean, as a bulk import or a raw query would: the database alone
    # must refuse it, on SQLite as on PostgreSQL (whose varchar(7) refuses the long colour
    # before the check does).
    fields = {"key": "X", "name": "X", "colour": "#ffffff", "shortcut": "x", field: value}
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Label.objects.create(project=project, **fields)


@pytest.mark.parametrize("name", sorted(COLOURS))
def test_a_hostile_colour_is_refused_naming_the_colour(project, name):
    label = Label(project=project, key="X", name="X", colour=COLOURS[name], shortcut="x")
    with pytest.raises(ValidationError) as error:
        label.full_clean()
    assert set(error.value.message_dict) == {"colour"}


def test_label_validation_names_the_problem(project):
    label = Label(
        project=project,
        key="bad key",
        name="X",
        colour="#12345",
        shortcut="x",
        attribute_schema=[{"name": "a", "kind": "colour"}],
    )
    with pytest.raises(ValidationError) as error:
        label.full_clean()
    assert set(error.value.message_dict) == {"key", "colour", "attribute_schema"}
    assert "'kind' must be one of" in error.value.message_dict["attribute_schema"][0]


def test_label_keys_and_shortcuts_are_unique_per_project(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(project=project, key="OTHER", name="O", colour="#000000", shortcut="c")
