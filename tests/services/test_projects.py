from annotator.models import Label, Membership
from annotator.services import membership_set, project_create


def test_project_create_gives_the_default_casualty_labels(db):
    project = project_create(slug="p", name="P")
    assert list(project.labels.values_list("key", "shortcut")) == [
        ("CASUALTY_FIGURE", "c"),
        ("LOCATION", "l"),
        ("ACTOR", "a"),
    ]
    outcome = Label.objects.get(project=project, key="CASUALTY_FIGURE").attribute_schema[0]
    assert (outcome["name"], outcome["kind"], outcome["required"]) == ("outcome", "enum", True)


def test_membership_set_changes_an_existing_role(project, annotator):
    membership_set(project=project, username=annotator.username, role=Membership.Role.LEAD)
    assert Membership.objects.get(user=annotator, project=project).role == "lead"
