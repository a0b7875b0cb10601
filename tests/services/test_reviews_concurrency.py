"""Two leads deciding on one document at the same moment, each through its own connection."""

import io
import threading

import pytest
from django.db import connection

from annotator.models import GoldSpan, Membership, Review, ReviewEvent
from annotator.services import (
    ReviewConflict,
    document_import,
    membership_set,
    review_decide,
    review_state,
)

from ..annotating import annotate

TEXT = "Russia struck Idlib and Aleppo."


@pytest.fixture
def leads(members):
    return members(Membership.Role.LEAD, "lead_x", "lead_y")


@pytest.fixture
def document(project, make_user):
    """Russia agreed; Aleppo marked LOCATION by one annotator and ACTOR by the other."""
    document_import(project=project, files=[("d.txt", io.BytesIO(TEXT.encode()))])
    for name, aleppo in (("ann_a", "LOCATION"), ("ann_b", "ACTOR")):
        user = make_user(name)
        membership_set(project=project, username=name, role=Membership.Role.ANNOTATOR)
        annotate(project, user, [("ACTOR", "Russia"), (aleppo, "Aleppo")])
    return project.documents.get()


def aleppo_gold(document):
    start = document.text.index("Aleppo")
    return sorted(
        GoldSpan.objects.filter(document=document, start=start).values_list("label__key", flat=True)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("started", [False, True], ids=["first decision", "later decision"])
def test_two_leads_deciding_from_the_same_version_at_once_one_wins_one_is_told(
    document, leads, started
):
    if started:  # a review in progress, at version 1, with Aleppo still open
        start = document.text.index("Idlib")
        review_decide(
            document=document,
            lead=leads[0],
            version=0,
            action="add",
            start=start,
            end=start + len("Idlib"),
            label="LOCATION",
        )
    version = review_state(document).version
    events_before = ReviewEvent.objects.count()
    (group,) = review_state(document).open_groups
    labels = [variant.label for variant in group.variants]
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(lead, variant):
        try:
            barrier.wait(timeout=10)
            review_decide(
                document=document,
                lead=lead,
                version=version,
                action="accept",
                group=0,
                variant=variant,
            )
            outcomes[lead.username] = "accepted", labels[variant]
        except ReviewConflict as conflict:
            outcomes[lead.username] = "conflict", conflict.review.version
        except Exception as error:  # anything else is reported by the assertion below
            outcomes[lead.username] = "error", repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(lead, variant)) for variant, lead in enumerate(leads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    results = sorted(outcomes.values())
    assert [kind for kind, _ in results] == ["accepted", "conflict"], outcomes
    (_, winner), (_, current) = results
    assert current == version + 1  # the loser is shown the winner's state
    assert aleppo_gold(document) == [winner]
    review = Review.objects.get(document=document)
    assert review.version == version + 1
    assert ReviewEvent.objects.count() == events_before + 1
    assert GoldSpan.objects.filter(document=document, label__key="ACTOR", start=0).count() == 1
