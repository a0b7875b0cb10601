from annotator.services.exports import ExportOptions, annotator_pseudonyms, gold_documents

from ..annotating import FULL, add_reports, annotate


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
