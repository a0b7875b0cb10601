"""Importing documents with other tools' annotations: as nothing, as annotators' submitted
work (counted for agreement and reviewed here), or as gold."""

import io
import json
import zipfile
from collections import defaultdict

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from annotator.models import (
    Assignment,
    Document,
    DocumentAgreement,
    GoldSpan,
    Membership,
    ProjectAgreement,
    Review,
    Span,
)
from annotator.services import (
    agreement_refresh,
    document_import,
    project_create,
    review_decide,
    review_finish,
    review_state,
)
from annotator.services.export_files import gold_export
from annotator.services.exports import annotator_pseudonyms
from annotator.services.imported_annotations import AnnotationOptions

from ..annotating import FULL, PLACES, add_reports, annotate

INTEROP = settings.BASE_DIR / "fixtures" / "interop"
LABEL_STUDIO = INTEROP / "label-studio-export-50.json"
DOCCANO = INTEROP / "doccano-export-50.zip"

ANNOTATORS = AnnotationOptions(mode="annotators")
LS_ACCOUNTS = ("imported-label-studio-1", "imported-label-studio-2")

type SpanSet = set[tuple[int, int, str]]


def studio_tasks() -> list[dict]:
    return json.loads(LABEL_STUDIO.read_text(encoding="utf-8"))


def studio_file(tasks: list[dict] | None = None, name: str = LABEL_STUDIO.name):
    data = LABEL_STUDIO.read_bytes() if tasks is None else json.dumps(tasks).encode()
    return [(name, io.BytesIO(data))]


def doccano_file():
    return [(DOCCANO.name, io.BytesIO(DOCCANO.read_bytes()))]


def studio_layers(tasks: list[dict]) -> dict[str, dict[str, SpanSet]]:
    """task id → annotator (as the import names the account) → its (start, end, label) set."""
    layers: dict[str, dict[str, SpanSet]] = {}
    for task in tasks:
        layers[str(task["id"])] = {
            f"imported-label-studio-{annotation['completed_by']}": {
                (r["value"]["start"], r["value"]["end"], label)
                for r in annotation["result"]
                if r["type"] == "labels"
                for label in r["value"]["labels"]
            }
            for annotation in task["annotations"]
            if not annotation.get("was_cancelled")
        }
    return layers


def doccano_layers() -> dict[str, dict[str, SpanSet]]:
    """Document id → doccano annotator's account → its span set, from the zip's files."""
    layers: dict[str, dict[str, SpanSet]] = defaultdict(dict)
    with zipfile.ZipFile(DOCCANO) as archive:
        for name in archive.namelist():
            for line in archive.read(name).splitlines():
                value = json.loads(line)
                account = f"imported-doccano-{name.removesuffix('.jsonl')}"
                layers[str(value["id"])][account] = {tuple(item) for item in value["label"]}
    return layers


def stored_layers(project) -> dict[str, dict[str, SpanSet]]:
    """External id → username → the submitted spans, as stored."""
    layers: dict[str, dict[str, SpanSet]] = defaultdict(dict)
    assignments = Assignment.objects.filter(document__project=project).select_related(
        "document", "annotator"
    )
    for assignment in assignments:
        assert assignment.status == Assignment.Status.SUBMITTED
        assert assignment.submitted_at is not None
        layers[assignment.document.external_id][assignment.annotator.username] = {
            (span.start, span.end, span.label.key) for span in assignment.spans.all()
        }
    return dict(layers)


def pooled_exact_f1(layers: dict[str, dict[str, SpanSet]]) -> float:
    """Exact-match span F1 between the two annotators, pooled over every document."""
    matched = total = 0
    for by_annotator in layers.values():
        first, second = by_annotator.values()
        matched += len(first & second)
        total += len(first) + len(second)
    return 2 * matched / total


def task(text: str, *annotations, task_id: int) -> dict:
    return {"id": task_id, "data": {"text": text}, "annotations": list(annotations)}


def annotation(completed_by: int, *spans: tuple[str, str], text: str, **extra) -> dict:
    """An annotation marking each (label, phrase) at the phrase's first occurrence."""
    results = []
    for label, phrase in spans:
        start = text.index(phrase)
        results.append(
            {
                "type": "labels",
                "value": {
                    "start": start,
                    "end": start + len(phrase),
                    "text": phrase,
                    "labels": [label],
                },
            }
        )
    return {"completed_by": completed_by, "result": results, **extra}


# Label Studio as annotators' work -----------------------------------------------------------


def test_label_studio_sample_becomes_each_annotators_submitted_work(
    project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = document_import(project=project, files=studio_file(), annotations=ANNOTATORS)
    assert report.committed
    assert (report.imported, report.duplicates, report.rejected) == (50, 0, 0)
    assert report.annotations == 100
    assert report.summary() == (
        "50 imported, 0 duplicates skipped, 0 rejected, with 100 annotations by annotators"
    )
    assert Document.objects.filter(project=project).count() == 50
    assert Assignment.objects.filter(status=Assignment.Status.SUBMITTED).count() == 100

    for username in LS_ACCOUNTS:
        user = get_user_model().objects.get(username=username)
        assert not user.has_usable_password()  # holds the work; nobody logs in as it
        membership = Membership.objects.get(project=project, user=user)
        assert membership.role == Membership.Role.ANNOTATOR
        assert Assignment.objects.filter(annotator=user).count() == 50

    assert stored_layers(project) == studio_layers(studio_tasks())
    assert Document.objects.ready_for_review(project).count() == 50
    assert DocumentAgreement.objects.filter(project=project).count() == 50
    assert not GoldSpan.objects.exists() and not Review.objects.exists()

    # The project's figures (and its shared passages) are refreshed once the import commits.
    assert ProjectAgreement.objects.get(project=project).refresh_queued
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    figures = ProjectAgreement.objects.get(project=project).figures
    assert figures["documents"] == 50


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (studio_file, lambda: studio_layers(studio_tasks())),
        (doccano_file, doccano_layers),
    ],
    ids=["label-studio", "doccano"],
)
def test_agreement_of_imported_work_matches_the_files_own_figures(project, files, expected):
    document_import(project=project, files=files(), annotations=ANNOTATORS)
    direct = pooled_exact_f1(expected())
    figures = agreement_refresh(project).figures
    assert figures["documents"] == 50
    assert round(figures["f1"]["exact"]["micro"], 3) == round(direct, 3) == 0.720


def test_utf16_offsets_are_stored_as_code_points_and_reported(project):
    text = "Near 💥 Idlib, 3 killed"
    start = text.index("Idlib")
    utf16 = {"start": start + 1, "end": start + 6, "text": "Idlib", "labels": ["LOCATION"]}
    tasks = [
        task(text, {"completed_by": 1, "result": [{"type": "labels", "value": utf16}]}, task_id=1)
    ]
    report = document_import(project=project, files=studio_file(tasks), annotations=ANNOTATORS)
    assert report.utf16_spans == 1
    assert report.summary().endswith(
        "; 1 span had offsets in UTF-16 units, converted to code points"
    )
    span = Span.objects.get()
    assert (span.start, span.end) == (start, start + 5)
    assert span.assignment.document.text[span.start : span.end] == "Idlib"


def test_unanimous_imported_documents_are_accepted_when_the_project_says_so(project):
    project.auto_accept_unanimous = True
    project.save()
    agreed = "Russia struck Idlib; 3 killed."
    split = "Russia struck Aleppo; 5 killed."
    both = (("ACTOR", "Russia"), ("LOCATION", "Idlib"))
    tasks = [
        task(
            agreed, annotation(1, *both, text=agreed), annotation(2, *both, text=agreed), task_id=1
        ),
        task(
            split,
            annotation(1, ("ACTOR", "Russia"), text=split),
            annotation(2, ("LOCATION", "Aleppo"), text=split),
            task_id=2,
        ),
    ]
    document_import(project=project, files=studio_file(tasks), annotations=ANNOTATORS)
    [review] = Review.objects.all()
    assert review.document.external_id == "1" and review.status == Review.Status.DONE
    assert {(g.start, g.end, g.label.key, g.decision) for g in GoldSpan.objects.all()} == {
        (0, 6, "ACTOR", "unanimous"),
        (14, 19, "LOCATION", "unanimous"),
    }


# doccano as annotators' work ----------------------------------------------------------------


def test_doccano_zip_adds_the_second_annotator_to_the_same_documents(project):
    report = document_import(project=project, files=doccano_file(), annotations=ANNOTATORS)
    assert (report.imported, report.duplicates, report.rejected, report.annotations) == (
        50,
        0,
        0,
        100,
    )
    assert Document.objects.filter(project=project).count() == 50
    assert stored_layers(project) == doccano_layers()
    assert DocumentAgreement.objects.filter(project=project).count() == 50
    assert Document.objects.ready_for_review(project).count() == 50


def test_importing_the_same_work_again_adds_nothing(project):
    document_import(project=project, files=doccano_file(), annotations=ANNOTATORS)
    again = document_import(project=project, files=doccano_file(), annotations=ANNOTATORS)
    assert again.committed
    assert (again.imported, again.duplicates, again.rejected, again.annotations) == (0, 100, 0, 0)
    assert Assignment.objects.count() == 100 and Document.objects.count() == 50

    document_import(project=project, files=studio_file(), annotations=ANNOTATORS)
    studio_again = document_import(project=project, files=studio_file(), annotations=ANNOTATORS)
    assert (studio_again.imported, studio_again.duplicates, studio_again.annotations) == (0, 50, 0)
    # The Label Studio accounts are other annotators than doccano's: 4 annotations a document.
    assert Assignment.objects.count() == 200 and Document.objects.count() == 50


def test_doccano_zip_as_gold_is_refused_as_two_golds_for_one_text(project):
    report = document_import(project=project, files=doccano_file())
    assert not report.committed and report.imported == 0
    assert len(report.errors) == 50
    assert all(e.source == "doccano-export-50.zip/annb.jsonl" for e in report.errors)
    assert "the same text was given gold at doccano-export-50.zip/admin.jsonl:1" in str(
        report.errors[0]
    )
    assert Document.objects.count() == 0


# Gold and none ------------------------------------------------------------------------------


def test_two_annotations_marked_ground_truth_cannot_become_gold(project):
    report = document_import(project=project, files=studio_file())  # gold is the default
    assert not report.committed and report.imported == 0
    assert len(report.errors) == 50
    first = report.errors[0]
    assert first.reason.startswith(
        "document '51': 2 annotations, 2 of them marked as ground truth: import them as "
        "annotators' work"
    )
    assert Document.objects.count() == 0 and not Assignment.objects.exists()
    assert not get_user_model().objects.filter(username__startswith="imported-").exists()


def test_the_one_annotation_marked_ground_truth_becomes_gold(project):
    tasks = studio_tasks()
    for item in tasks:
        item["annotations"][1]["ground_truth"] = False
    report = document_import(project=project, files=studio_file(tasks))
    assert report.committed and report.imported == 50
    expected = studio_layers(tasks)
    assert report.gold_spans == sum(len(e["imported-label-studio-1"]) for e in expected.values())

    gold: dict[str, SpanSet] = defaultdict(set)
    for span in GoldSpan.objects.select_related("document", "label"):
        gold[span.document.external_id].add((span.start, span.end, span.label.key))
        assert span.decision == GoldSpan.Decision.ACCEPTED
    assert gold == {key: layers["imported-label-studio-1"] for key, layers in expected.items()}
    assert Review.objects.filter(project=project, status=Review.Status.DONE).count() == 50
    assert not Assignment.objects.exists()


def test_mode_none_imports_only_the_documents(project):
    report = document_import(
        project=project, files=studio_file(), annotations=AnnotationOptions(mode="none")
    )
    assert report.committed and (report.imported, report.annotations, report.gold_spans) == (
        50,
        0,
        0,
    )
    assert Document.objects.filter(project=project).count() == 50
    assert not Span.objects.exists() and not GoldSpan.objects.exists()
    assert not Assignment.objects.exists() and not Review.objects.exists()
    assert not get_user_model().objects.filter(username__startswith="imported-").exists()


def test_unknown_mode_is_refused(project):
    from annotator.services import ServiceError

    with pytest.raises(ServiceError, match="Unknown annotations mode 'all'"):
        document_import(
            project=project, files=studio_file(), annotations=AnnotationOptions(mode="all")
        )


def test_a_span_given_twice_in_the_ground_truth_is_one_gold_span(project):
    text = "Russia struck Idlib."
    twice = annotation(1, ("ACTOR", "Russia"), ("ACTOR", "Russia"), text=text)
    report = document_import(project=project, files=studio_file([task(text, twice, task_id=1)]))
    assert report.committed and report.gold_spans == 1


# Labels -------------------------------------------------------------------------------------


def weapon_tasks(label: str) -> list[dict]:
    text = "A barrel bomb hit Idlib."
    marks = (("LOCATION", "Idlib"), (label, "barrel bomb"))
    return [
        task(text, annotation(1, *marks, text=text), annotation(2, *marks, text=text), task_id=1)
    ]


def test_a_label_the_project_lacks_is_refused_and_nothing_imported(project):
    report = document_import(
        project=project, files=studio_file(weapon_tasks("WEAPON")), annotations=ANNOTATORS
    )
    assert not report.committed
    [error] = report.errors
    assert "the project has no label 'WEAPON'" in error.reason
    assert "let the import create missing labels" in error.reason
    assert Document.objects.count() == 0 and not Assignment.objects.exists()
    assert not project.labels.filter(key="WEAPON").exists()


def test_missing_labels_are_created_when_asked(project):
    shortcuts = set(project.labels.values_list("shortcut", flat=True))
    report = document_import(
        project=project,
        files=studio_file(weapon_tasks("WEAPON")),
        annotations=AnnotationOptions(mode="annotators", create_labels=True),
    )
    assert report.committed and report.annotations == 2
    weapon = project.labels.get(key="WEAPON")
    assert weapon.shortcut and weapon.shortcut not in shortcuts
    assert weapon.position == len(shortcuts)
    assert Span.objects.filter(label=weapon).count() == 2
    assert project.labels.count() == 4  # made once, for both annotators


@pytest.mark.parametrize(
    "name", ["weapon type", "WEAPON\n", "<img src=x onerror=alert(window.__xss=1)>"]
)
def test_a_label_name_that_is_not_a_key_is_refused_even_when_creating(project, name):
    report = document_import(
        project=project,
        files=studio_file(weapon_tasks(name)),
        annotations=AnnotationOptions(mode="annotators", create_labels=True),
    )
    assert not report.committed
    [error] = report.errors
    assert f"'{name}' is not a label key (UPPER_SNAKE_CASE)" in error.reason
    assert project.labels.count() == 3 and Document.objects.count() == 0


# Accounts -----------------------------------------------------------------------------------


def test_an_annotator_can_be_mapped_to_an_existing_user(project, lead):
    options = AnnotationOptions(mode="annotators", users=(("label-studio-1", "lead"),))
    report = document_import(project=project, files=studio_file(), annotations=options)
    assert report.committed and report.annotations == 100
    usernames = set(Assignment.objects.values_list("annotator__username", flat=True))
    assert usernames == {"lead", "imported-label-studio-2"}
    assert not get_user_model().objects.filter(username="imported-label-studio-1").exists()
    expected = studio_layers(studio_tasks())
    stored = stored_layers(project)
    assert {key: layers["lead"] for key, layers in stored.items()} == {
        key: layers["imported-label-studio-1"] for key, layers in expected.items()
    }
    # The lead stays a lead, and can still log in.
    assert Membership.objects.get(project=project, user=lead).role == Membership.Role.LEAD
    lead.refresh_from_db()
    assert lead.has_usable_password()


# Our own export, with each annotator's layer --------------------------------------------------


def export_layers(project, tmp_path) -> list[tuple[str, io.BytesIO]]:
    path = tmp_path / "layers.jsonl"
    gold_export(project=project, format="layers", path=path)
    return [("layers.jsonl", io.BytesIO(path.read_bytes()))]


def test_a_layers_export_brings_back_every_annotators_work(project, pair, reviewed, tmp_path):
    files = export_layers(project, tmp_path)
    copy_project = project_create(slug="copy", name="Copy")
    report = document_import(project=copy_project, files=files, annotations=ANNOTATORS)
    assert report.committed and (report.imported, report.annotations) == (2, 4)
    assert not GoldSpan.objects.filter(document__project=copy_project).exists()

    names = annotator_pseudonyms(project)

    def work(target, rename):
        found = defaultdict(dict)
        for assignment in Assignment.objects.filter(
            document__project=target, status=Assignment.Status.SUBMITTED
        ).select_related("document", "annotator"):
            if assignment.document.text not in {d.text for d in reviewed[:2]}:
                continue  # only adjudicated documents are exported
            found[assignment.document.text][rename(assignment.annotator)] = {
                (s.start, s.end, s.label.key) for s in assignment.spans.all()
            }
        return dict(found)

    original = work(project, lambda user: f"imported-jsonl-{names[user.pk]}")
    assert set(original[reviewed[0].text]) == {
        "imported-jsonl-annotator-1",
        "imported-jsonl-annotator-2",
    }
    assert work(copy_project, lambda user: user.username) == original
    assert DocumentAgreement.objects.filter(project=copy_project).count() == 2


def test_a_layers_export_brings_back_the_gold_by_default(project, reviewed, tmp_path):
    files = export_layers(project, tmp_path)
    copy_project = project_create(slug="copy", name="Copy")
    report = document_import(project=copy_project, files=files)
    assert report.committed and report.imported == 2 and report.annotations == 0

    def gold(target):
        return {
            (g.document.text, g.start, g.end, g.label.key, g.decision)
            for g in GoldSpan.objects.filter(document__project=target).select_related(
                "document", "label"
            )
        }

    assert gold(copy_project) == gold(project) and len(gold(project)) == report.gold_spans == 6
    assert not Assignment.objects.filter(document__project=copy_project).exists()


def test_a_layers_export_of_a_document_judged_to_hold_nothing_imports_again(
    project, pair, lead, tmp_path, django_capture_on_commit_callbacks
):
    [document] = add_reports(project, 1)
    annotate(project, pair[0], FULL[:1], commit=django_capture_on_commit_callbacks)
    annotate(project, pair[1], PLACES[:1], commit=django_capture_on_commit_callbacks)
    state = review_state(document)
    version = state.version
    for group, _ in enumerate(state.candidates.groups):  # the lead rejects every span
        review_decide(document=document, lead=lead, version=version, action="reject", group=group)
        version += 1
    review_finish(document=document, lead=lead, version=version)
    assert Review.objects.get(document=document).status == Review.Status.DONE
    assert not GoldSpan.objects.filter(document=document).exists()

    files = export_layers(project, tmp_path)
    exported = json.loads(files[0][1].getvalue())
    assert exported["spans"] == [] and len(exported["annotations"]) == 2
    report = document_import(project=project_create(slug="copy", name="Copy"), files=files)
    assert report.committed, [str(error) for error in report.errors]


def test_labels_are_made_only_for_rows_that_are_imported(project):
    lines = [
        {"text": "Russia struck Idlib", "label": [[0, 6, "NEW_ONE"], [7, 13, "bad-name"]]},
        {"text": "Aleppo was hit", "label": [[0, 6, "OTHER_NEW"]]},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    report = document_import(
        project=project,
        files=[("a.jsonl", io.BytesIO(data))],
        skip_invalid=True,
        annotations=AnnotationOptions(mode="annotators", create_labels=True),
    )
    assert report.imported == 1 and report.rejected == 1
    assert set(project.labels.values_list("key", flat=True)) == {
        "CASUALTY_FIGURE",
        "LOCATION",
        "ACTOR",
        "OTHER_NEW",
    }


def test_work_mapped_to_a_user_who_does_not_exist_is_refused_before_anything(project):
    from annotator.services import ServiceError

    options = AnnotationOptions(mode="annotators", users=(("label-studio-1", "nosuchuser"),))
    with pytest.raises(ServiceError, match="there is no such user"):
        document_import(project=project, files=studio_file(), annotations=options)
    assert not get_user_model().objects.filter(username="nosuchuser").exists()
    assert not Document.objects.filter(project=project).exists()


def gold_of(project) -> dict[str, set[tuple[str, str]]]:
    """Each document's gold as (covered text, label), by the document's first line."""
    gold: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for span in GoldSpan.objects.filter(document__project=project).select_related(
        "document", "label"
    ):
        gold[span.document.text.split(":")[0]].add(
            (span.document.text[span.start : span.end], span.label.key)
        )
    return dict(gold)


def work_of(project) -> dict[str, set[tuple[str, str]]]:
    work: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for span in Span.objects.filter(assignment__document__project=project).select_related(
        "assignment__document", "label"
    ):
        text = span.assignment.document.text
        work[text.split(":")[0].replace(" ", "")].add((text[span.start : span.end], span.label.key))
    return dict(work)


@pytest.mark.parametrize(("file_format", "name"), [("brat", "gold.zip"), ("conll", "gold.conll")])
def test_our_brat_and_conll_exports_import_again_as_the_same_spans(
    project, reviewed, tmp_path, file_format, name
):
    path = tmp_path / name
    gold_export(project=project, format=file_format, path=path)
    copy = project_create(slug="copy", name="Copy")
    report = document_import(
        project=copy, files=[(name, io.BytesIO(path.read_bytes()))], annotations=ANNOTATORS
    )
    assert report.committed and report.imported == 2 and report.annotations == 2
    expected = {key.replace(" ", ""): spans for key, spans in gold_of(project).items()}
    assert work_of(copy) == expected


# Links and ignored regions of our JSONL export ------------------------------------------------

LINKED_TEXT = "Russia struck Idlib. 7 killed."


def linked_line(**changes) -> str:
    record = {
        "text": LINKED_TEXT,
        "spans": [
            {"start": 14, "end": 19, "label": "LOCATION"},
            {"start": 21, "end": 29, "label": "CASUALTY_FIGURE"},
        ],
        "links": [{"kind": "located_at", "source": 1, "target": 0}],
        "ignored": [[0, 6]],
        **changes,
    }
    return json.dumps(record) + "\n"


def jsonl_file(*lines: str) -> list[tuple[str, io.BytesIO]]:
    return [("gold.jsonl", io.BytesIO("".join(lines).encode()))]


def stored_links_and_regions(project) -> tuple[list, list, list]:
    from annotator.models import GoldLink, IgnoredRegion, SpanLink

    def named(link):  # every document of these tests is LINKED_TEXT
        source, target = link.source, link.target
        return (
            link.kind,
            LINKED_TEXT[source.start : source.end],
            LINKED_TEXT[target.start : target.end],
        )

    gold = [named(link) for link in GoldLink.objects.filter(review__project=project)]
    work = [named(link) for link in SpanLink.objects.filter(assignment__document__project=project)]
    regions = list(
        IgnoredRegion.objects.filter(document__project=project).values_list("start", "end")
    )
    return gold, work, regions


def test_a_line_with_a_bad_link_is_refused_with_its_line_and_nothing_is_imported(project):
    bad = linked_line(links=[{"kind": "located_at", "source": 0, "target": 1}])
    report = document_import(project=project, files=jsonl_file(linked_line(), bad))
    assert not report.committed
    [error] = report.errors
    assert str(error).startswith("gold.jsonl:2: links[1].source: A located at link starts at")
    assert not Document.objects.filter(project=project).exists()
    assert stored_links_and_regions(project) == ([], [], [])


def test_overlapping_ignored_regions_are_refused_with_their_line(project):
    bad = linked_line(text=LINKED_TEXT + " ", ignored=[[0, 6], [5, 10]])
    report = document_import(
        project=project, files=jsonl_file(linked_line(), bad), skip_invalid=True
    )
    assert report.committed and report.imported == 1
    assert [str(error) for error in report.errors] == [
        "gold.jsonl:2: ignored[2]: overlaps ignored[1]"
    ]
    assert stored_links_and_regions(project) == (
        [("located_at", "7 killed", "Idlib")],
        [],
        [(0, 6)],
    )


@pytest.mark.parametrize("mode", ["none", "annotators"])
def test_without_gold_the_links_stay_out_but_the_ignored_regions_come(project, mode):
    report = document_import(
        project=project, files=jsonl_file(linked_line()), annotations=AnnotationOptions(mode=mode)
    )
    assert report.committed and report.imported == 1
    assert stored_links_and_regions(project) == ([], [], [(0, 6)])


def test_a_text_already_here_keeps_its_own_ignored_regions(project):
    document_import(project=project, files=jsonl_file(linked_line(spans=[], links=[], ignored=[])))
    report = document_import(project=project, files=jsonl_file(linked_line()))
    assert report.duplicates == 1
    assert stored_links_and_regions(project) == ([], [], [])
