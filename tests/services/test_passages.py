import io

import pytest
from django.core.management import call_command

from annotator.models import PassageCluster, PassageOccurrence
from annotator.services import document_import
from annotator.services.passages import passages_refresh, shared_paragraphs

from ..annotating import import_texts

SHARED = "Pro-Assad warplanes struck the town of Maarat al-Numan, killing at least 16 civilians."
NEARLY = SHARED[:-1] + ", rescuers said."
OWN = "The White Helmets said rescuers were still searching the rubble on Tuesday night."


def texts():
    return [
        f"Monday's report\n{SHARED}\n{OWN}",
        f"Tuesday's report\n{SHARED}\nNothing else was said.",
        f"{NEARLY}\nA different closing paragraph with many more words than eight.",
        "An unrelated report about the weather in Damascus that shares nothing at all.",
    ]


@pytest.fixture
def documents(project):
    documents = import_texts(project, texts())
    passages_refresh(project=project)
    return documents


def test_refresh_stores_exact_and_near_clusters(project, documents):
    first, second, third, unrelated = documents
    [cluster] = PassageCluster.objects.filter(project=project)
    # The near copy joins the exact pair: one passage, three documents, not all the same words.
    assert not cluster.exact
    members = list(cluster.members.values_list("document_id", "start", "end"))
    assert [doc for doc, _, _ in members] == [first.pk, second.pk, third.pk]
    start, end = members[0][1:]
    assert first.text[start:end] == SHARED
    assert not PassageOccurrence.objects.filter(document=unrelated).exists()


def test_refresh_replaces_the_old_clusters(project, documents):
    old = set(PassageCluster.objects.values_list("pk", flat=True))
    passages_refresh(project=project)
    assert PassageCluster.objects.filter(project=project).count() == 1
    assert not PassageCluster.objects.filter(pk__in=old).exists()


def test_exact_copies_alone_make_an_exact_cluster(project):
    import_texts(project, texts()[:2])
    [cluster] = passages_refresh(project=project)
    assert cluster.exact


def test_shared_paragraphs_name_the_other_documents(project, documents):
    first, second, third, unrelated = documents
    [shared] = shared_paragraphs(first)
    assert first.text[shared.start : shared.end] == SHARED
    assert shared.others == (second.pk, third.pk)
    assert shared_paragraphs(unrelated) == []


def test_a_committed_import_queues_a_refresh(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_texts(project, texts()[:2])
    assert PassageCluster.objects.filter(project=project).count() == 1


def test_a_refused_import_queues_nothing(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        document_import(project=project, files=[("bad.jsonl", io.BytesIO(b"{not json\n"))])
    assert callbacks == []


def test_the_command_refreshes_and_counts(project, capsys):
    import_texts(project, texts()[:2])
    call_command("refresh_passages", project.slug)
    assert "1 shared passages (1 word for word, 0 nearly)" in capsys.readouterr().out
    assert PassageCluster.objects.filter(project=project).count() == 1
