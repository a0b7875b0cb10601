from annotator.models import Membership
from annotator.services import membership_content_note_accept


def test_accepting_the_note_records_when(project, annotator):
    membership_content_note_accept(project=project, user=annotator)
    assert Membership.objects.get(user=annotator).content_note_seen_at is not None


def test_the_first_acceptance_counts(project, annotator):
    membership_content_note_accept(project=project, user=annotator)
    first = Membership.objects.get(user=annotator).content_note_seen_at
    membership_content_note_accept(project=project, user=annotator)
    assert Membership.objects.get(user=annotator).content_note_seen_at == first


def test_only_that_member_is_marked(project, annotator, members):
    (other,) = members("annotator", "other")
    membership_content_note_accept(project=project, user=annotator)
    assert Membership.objects.get(user=other).content_note_seen_at is None


def test_the_note_is_due_until_accepted(project, annotator):
    assert not project.content_note_due_for(annotator)  # no note
    project.content_note = "Distressing content."
    assert project.content_note_due_for(annotator)
    membership_content_note_accept(project=project, user=annotator)
    assert not project.content_note_due_for(annotator)
