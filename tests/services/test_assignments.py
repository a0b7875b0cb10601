import io
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from annotator.models import Assignment, Project
from annotator.services import (
    AssignmentClosed,
    ServiceError,
    SubmissionIncomplete,
    assignment_next,
    assignment_skip,
    assignment_submit,
    assignments_release_stale,
    document_import,
    membership_set,
    span_create,
)


def add_documents(project, count):
    files = [
        (f"d{i}.txt", io.BytesIO(f"Document {i}: 3 people killed.".encode())) for i in range(count)
    ]
    document_import(project=project, files=files)
    return list(project.documents.order_by("id"))


def test_documents_go_out_in_order_k_times_each(project, annotators):
    first, second = add_documents(project, 2)
    a, b, c = annotators
    assert assignment_next(project=project, annotator=a).document == first
    assert assignment_next(project=project, annotator=b).document == first
    assert assignment_next(project=project, annotator=c).document == second  # k = 2


def test_unfinished_assignment_is_resumed_before_a_new_one(project, annotators):
    add_documents(project, 3)
    a = annotators[0]
    first = assignment_next(project=project, annotator=a)
    assert assignment_next(project=project, annotator=a) == first
    assignment_submit(assignment=first)
    assert assignment_next(project=project, annotator=a).document != first.document


def test_no_document_twice_for_one_annotator_even_after_skipping(project, annotators):
    add_documents(project, 1)
    a = annotators[0]
    assignment_skip(assignment=assignment_next(project=project, annotator=a), reason="off topic")
    assert assignment_next(project=project, annotator=a) is None


def test_skipped_place_goes_to_another_annotator(project, annotators):
    add_documents(project, 1)
    a, b, c = annotators
    assignment_skip(assignment=assignment_next(project=project, annotator=a), reason="x")
    assert assignment_next(project=project, annotator=b) is not None
    assert assignment_next(project=project, annotator=c) is not None


def test_none_left_returns_none(project, annotators):
    assert assignment_next(project=project, annotator=annotators[0]) is None


def test_random_order_follows_the_shuffle_key(project, annotators):
    documents = add_documents(project, 5)
    for key, document in zip([50, 10, 40, 20, 30], documents, strict=True):
        document.shuffle_key = key
        document.save()
    project.assignment_order = Project.AssignmentOrder.RANDOM
    project.save()
    assert assignment_next(project=project, annotator=annotators[0]).document == documents[1]


def test_submit_closes_the_assignment_and_a_second_submit_is_refused(project, annotators):
    add_documents(project, 1)
    assignment = assignment_next(project=project, annotator=annotators[0])
    first = assignment_submit(assignment=assignment)
    assert first.status == Assignment.Status.SUBMITTED
    with pytest.raises(AssignmentClosed, match="already submitted"):
        assignment_submit(assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.submitted_at == first.submitted_at


def test_submit_refused_while_a_figure_lacks_its_outcome(project, annotators):
    add_documents(project, 1)
    assignment = assignment_next(project=project, annotator=annotators[0])
    figure = project.labels.get(key="CASUALTY_FIGURE")
    text = assignment.document.text
    span_create(assignment=assignment, label=figure, start=text.index("3"), end=len(text) - 8)
    with pytest.raises(SubmissionIncomplete, match="1 span still lacks required attributes"):
        assignment_submit(assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED


def test_skip_needs_a_reason_and_closes(project, annotators):
    add_documents(project, 1)
    assignment = assignment_next(project=project, annotator=annotators[0])
    with pytest.raises(ServiceError, match="Say why"):
        assignment_skip(assignment=assignment, reason="  ")
    skipped = assignment_skip(assignment=assignment, reason="duplicate")
    assert (skipped.status, skipped.skip_reason) == ("skipped", "duplicate")
    with pytest.raises(AssignmentClosed):
        assignment_submit(assignment=assignment)


def test_release_only_touches_stale_open_assignments(project, annotators):
    add_documents(project, 2)
    a, b, c = annotators
    stale = assignment_next(project=project, annotator=a)
    fresh = assignment_next(project=project, annotator=b)
    done = assignment_next(project=project, annotator=c)
    assignment_submit(assignment=done)
    Assignment.objects.filter(pk__in=[stale.pk, done.pk]).update(
        assigned_at=timezone.now() - timedelta(days=8)
    )
    assert assignments_release_stale(project=project) == 1
    statuses = dict(Assignment.objects.values_list("pk", "status"))
    assert statuses == {stale.pk: "released", fresh.pk: "assigned", done.pk: "submitted"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_make_more_than_k_assignments(project, make_user):
    documents = add_documents(project, 3)
    users = []
    for number in range(8):
        users.append(make_user(f"volunteer{number}"))
        membership_set(project=project, username=f"volunteer{number}", role="annotator")
    barrier = threading.Barrier(len(users))
    errors = []

    def ask(user):
        try:
            barrier.wait()
            assignment_next(project=project, annotator=user)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = [Assignment.objects.filter(document=d).count() for d in documents]
    assert counts == [2, 2, 2]
    assert Assignment.objects.count() == 6


def test_each_document_keeps_count_of_the_places_taken(project, pair, make_user, members):
    from annotator.models import Document
    from annotator.services import assignment_next, assignment_skip, assignments_release_stale

    from ..annotating import add_reports

    [document] = add_reports(project, 1)

    def places():
        return Document.objects.get(pk=document.pk).places_taken

    first = assignment_next(project=project, annotator=pair[0])
    assert places() == 1
    assignment_next(project=project, annotator=pair[1])
    assert places() == 2  # k reached: no third annotator is offered it
    third = members("annotator", "third")[0]
    assert assignment_next(project=project, annotator=third) is None
    assignment_skip(assignment=first, reason="off topic")
    assert places() == 1
    assert assignment_next(project=project, annotator=third).document == document
    project.assignment_timeout = project.assignment_timeout * 0
    project.save()
    assert assignments_release_stale(project=project) == 2
    assert places() == 0
