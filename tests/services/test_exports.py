from annotator.services import review_decide, review_finish, review_link_decide
from annotator.services.exports import ExportOptions, annotator_pseudonyms, gold_documents

from ..annotating import FULL, add_reports, annotate, import_texts
from ..linking import A_LINKS, A_MARKS, TEXT, annotate_linked, gold_id, linked_document


def test_only_adjudicated_documents_are_exported(project, reviewed):
    exported = list(gold_documents(project, ExportOptions()))
    assert [document.id for document in exported] == [d.pk for d in reviewed[:2]]


def test_gold_spans_carry_their_decision_and_pseudonymous_provenance(project, pair, reviewed):
    [first, _] = gold_documents(project, ExportOptions())
    spans = {(first.text[s.start : s.end], s.label): s for s in first.spans}
    names = annotator_pseudonyms(project)
    assert names == {pair[0].pk: "annotator-1", pair[1].pk: "annotator-2"}
    idlib = spans["Idlib", "LOCATION"]
    assert (idlib.decision, idlib.annotators) == ("unanimous", ("annotator-1", "annotator-2"))
    russia = spans["Russia", "ACTOR"]  # the first variant of the boundary conflict
    assert (russia.decision, russia.annotators, russia.variants) == (
        "accepted",
        ("annotator-1",),
        ("annotator-2",),
    )
    assert first.agreement == {"exact_f1": 0.4, "annotators": 2}
    assert all("ann_" not in name for s in first.spans for name in s.annotators + s.variants)


def test_layers_hold_each_annotators_own_submitted_spans(project, reviewed):
    [first, _] = gold_documents(project, ExportOptions(layers=True))
    layers = {
        name: sorted(first.text[s.start : s.end] for s in spans)
        for name, spans in first.layers.items()
    }
    assert layers == {
        "annotator-1": ["Aleppo", "Idlib", "Russia"],
        "annotator-2": ["Idlib", "Russia struck"],
    }


def test_documents_accepted_without_review_come_only_when_asked(
    project, pair, lead, django_capture_on_commit_callbacks
):
    project.auto_accept_unanimous = True
    project.save()
    [document] = add_reports(project, 1)
    for user in pair:
        annotate(project, user, FULL, commit=django_capture_on_commit_callbacks)
    assert list(gold_documents(project, ExportOptions())) == []
    [auto] = gold_documents(project, ExportOptions(include_auto_accepted=True))
    assert auto.id == document.pk and {s.decision for s in auto.spans} == {"unanimous"}


def test_an_exported_project_imports_again_as_the_same_documents_and_gold(project, reviewed):
    import io

    from annotator.domain.exporters import jsonl_lines
    from annotator.services import document_import, project_create

    exported = "".join(jsonl_lines(gold_documents(project, ExportOptions())))
    copy = project_create(slug="copy", name="Copy")
    report = document_import(project=copy, files=[("gold.jsonl", io.BytesIO(exported.encode()))])
    assert report.committed and report.imported == 2 and report.gold_spans == 6
    assert "with 6 gold spans" in report.summary()

    def essence(target):
        return [
            (
                d.text,
                d.title,
                d.external_id,
                dict(d.metadata),
                sorted((s.start, s.end, s.label, dict(s.attributes), s.decision) for s in d.spans),
            )
            for d in gold_documents(target, ExportOptions())
        ]

    assert essence(copy) == essence(project)


def _linked_gold(project, pair, lead, commit):
    document = linked_document(project, pair, commit)
    # The source (the one conflict) accepted: the agreed link to Idlib is gold already.
    review_decide(document=document, lead=lead, version=0, action="accept", group=0, variant=0)
    review_link_decide(
        document=document,
        lead=lead,
        version=1,
        action="accept",
        source=gold_id(document, "16 civilians"),
        target=gold_id(document, "SOHR"),
        kind="attributed_to",
    )
    review_finish(document=document, lead=lead, version=2)
    return document


def test_gold_documents_carry_their_gold_links_between_span_keys(
    project, pair, lead, django_capture_on_commit_callbacks
):
    _linked_gold(project, pair, lead, django_capture_on_commit_callbacks)
    [exported] = gold_documents(project, ExportOptions())
    named = sorted(
        (
            link.kind,
            exported.text[link.source[0] : link.source[1]],
            exported.text[link.target[0] : link.target[1]],
        )
        for link in exported.links
    )
    assert named == [
        ("attributed_to", "16 civilians", "SOHR"),
        ("located_at", "16 civilians", "Idlib"),
    ]


def test_a_document_accepted_without_review_keeps_the_links_everyone_made(
    project, pair, django_capture_on_commit_callbacks
):
    project.auto_accept_unanimous = True
    project.save()
    import_texts(project, [TEXT])
    for user in pair:
        annotate_linked(project, user, A_MARKS, A_LINKS, django_capture_on_commit_callbacks)
    [auto] = gold_documents(project, ExportOptions(include_auto_accepted=True))
    assert sorted(link.kind for link in auto.links) == [
        "attributed_to",
        "located_at",
        "perpetrator",
    ]


# Links and ignored regions go out and come back (DESIGN.md: import(export(x)) == x) -----------


def _round_trip_source(project, pair, lead, commit):
    """A project whose one gold document has links and two ignored regions."""
    from annotator.services.ignored import ignored_region_add

    document = _linked_gold(project, pair, lead, commit)
    for phrase in ("Russian jets", "said."):
        start = TEXT.index(phrase)
        ignored_region_add(document=document, start=start, end=start + len(phrase), actor=lead)
    return document


def _exported(project, tmp_path, file_format, name):
    import io

    from annotator.services.export_files import gold_export

    path = tmp_path / name
    gold_export(project=project, format=file_format, path=path)
    return [(name, io.BytesIO(path.read_bytes()))]


def _gold_links(target):
    from annotator.models import GoldLink

    return sorted(
        (
            link.kind,
            TEXT[link.source.start : link.source.end],
            TEXT[link.target.start : link.target.end],
        )
        for link in GoldLink.objects.filter(review__document__project=target).select_related(
            "source", "target"
        )
    )


def _regions(target):
    from annotator.models import IgnoredRegion

    return sorted(
        (region.document.text, region.start, region.end)
        for region in IgnoredRegion.objects.filter(document__project=target)
    )


def _gold(target):
    return sorted(
        (d.text, s.start, s.end, s.label)
        for d in gold_documents(target, ExportOptions())
        for s in d.spans
    )


def test_a_jsonl_export_imports_again_with_its_gold_links_and_ignored_regions(
    project, pair, lead, tmp_path, django_capture_on_commit_callbacks
):
    from annotator.services import document_import, project_create

    _round_trip_source(project, pair, lead, django_capture_on_commit_callbacks)
    copy = project_create(slug="copy", name="Copy")
    report = document_import(project=copy, files=_exported(project, tmp_path, "jsonl", "g.jsonl"))
    assert report.committed and report.imported == 1
    assert _gold(copy) == _gold(project)
    assert (
        _gold_links(copy)
        == _gold_links(project)
        == [
            ("attributed_to", "16 civilians", "SOHR"),
            ("located_at", "16 civilians", "Idlib"),
        ]
    )
    assert _regions(copy) == _regions(project) and len(_regions(copy)) == 2
    # The copy exports as the original did: the links and the mask are the same.
    [original] = gold_documents(project, ExportOptions())
    [again] = gold_documents(copy, ExportOptions())
    assert (again.links, again.ignored) == (original.links, original.ignored)


def test_a_brat_export_imports_again_with_its_links_as_gold_or_as_annotators_work(
    project, pair, lead, tmp_path, django_capture_on_commit_callbacks
):
    from annotator.models import SpanLink
    from annotator.services import document_import, project_create
    from annotator.services.imported_annotations import AnnotationOptions

    _round_trip_source(project, pair, lead, django_capture_on_commit_callbacks)
    as_gold = project_create(slug="gold", name="Gold")
    report = document_import(project=as_gold, files=_exported(project, tmp_path, "brat", "g.zip"))
    assert report.committed and report.imported == 1
    assert _gold(as_gold) == _gold(project)
    assert _gold_links(as_gold) == _gold_links(project)

    as_work = project_create(slug="work", name="Work")
    report = document_import(
        project=as_work,
        files=_exported(project, tmp_path, "brat", "g.zip"),
        annotations=AnnotationOptions(mode="annotators"),
    )
    assert report.committed and report.annotations == 1
    links = SpanLink.objects.filter(assignment__document__project=as_work)
    assert sorted(
        (
            link.kind,
            TEXT[link.source.start : link.source.end],
            TEXT[link.target.start : link.target.end],
        )
        for link in links.select_related("source", "target")
    ) == _gold_links(project)
    assert {link.assignment.annotator.username for link in links} == {"imported-brat-g"}
