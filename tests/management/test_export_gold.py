import csv
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from annotator.models import AuditEvent


def export(project, form, path, *extra):
    call_command(
        "export_gold", "--project", project.slug, "--format", form, "-o", str(path), *extra
    )


def test_jsonl_export_lines_hold_the_gold_with_matching_offsets(project, reviewed, tmp_path):
    export(project, "jsonl", tmp_path / "gold.jsonl")
    records = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text().splitlines()]
    assert [record["id"] for record in records] == [d.pk for d in reviewed[:2]]
    for record in records:
        assert record["spans"]
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]


def test_each_document_carries_its_split(project, reviewed, tmp_path):
    export(project, "jsonl", tmp_path / "gold.jsonl", "--splits", "0.5,0.5,0", "--seed", "1")
    splits = [json.loads(line)["split"] for line in (tmp_path / "gold.jsonl").open()]
    # Two unrelated reports, half and half, nothing for test.
    assert sorted(splits) == ["dev", "train"]


def test_conll_brat_and_casualty_files_are_written(project, reviewed, tmp_path):
    export(project, "conll", tmp_path / "gold.conll")
    assert (tmp_path / "gold.conll").read_text().count("-DOCSTART-") == 2
    export(project, "brat", tmp_path / "gold.zip")
    with zipfile.ZipFile(tmp_path / "gold.zip") as archive:
        names = sorted(archive.namelist())
        text = archive.read(names[1]).decode()
        for line in archive.read(names[0]).decode().splitlines():
            _, where, shown = line.split("\t")
            _, start, end = where.split(" ")
            assert text[int(start) : int(end)] == shown
    export(project, "casualty", tmp_path / "figures.csv")
    header, *rows = csv.reader((tmp_path / "figures.csv").open())
    assert header[0] == "document_id" and rows == []  # the reports name no casualty figure


def test_an_unknown_project_or_bad_splits_are_refused(project, tmp_path):
    with pytest.raises(CommandError, match="no project with slug 'nope'"):
        call_command("export_gold", "--project", "nope", "--format", "jsonl", "-o", "x")
    with pytest.raises(CommandError, match="--splits: 'a,b' is not three numbers"):
        export(project, "jsonl", tmp_path / "x", "--splits", "a,b")
    with pytest.raises(CommandError, match="Only the jsonl, layers and hf formats carry splits"):
        export(project, "conll", tmp_path / "x", "--splits", "0.8,0.1,0.1")


def test_the_spacy_export_loads_in_spacy_with_the_gold_entities(project, reviewed, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    export(project, "spacy", tmp_path / "gold.spacy")
    docs = list(DocBin().from_disk(tmp_path / "gold.spacy").get_docs(spacy.blank("xx").vocab))
    assert [doc.user_data["id"] for doc in docs] == [d.pk for d in reviewed[:2]]
    gold = {
        (span.start, span.end, span.label.key)
        for span in reviewed[0].gold_spans.select_related("label")
    }
    assert {(e.start_char, e.end_char, e.label_) for e in docs[0].ents} == gold


def test_the_hf_export_loads_with_datasets_and_its_card_names_the_tags(
    project, reviewed, tmp_path, monkeypatch
):
    datasets = pytest.importorskip("datasets")
    import yaml

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    export(project, "hf", tmp_path / "hf", "--splits", "1,1,0")
    card = (tmp_path / "hf" / "README.md").read_text()
    front = yaml.safe_load(card.split("---\n")[1])
    assert [split["name"] for split in front["dataset_info"]["splits"]] == ["train", "validation"]
    assert "span F1, exact (micro)" in card

    loaded = datasets.load_dataset(str(tmp_path / "hf"), cache_dir=str(tmp_path / "cache"))
    assert {name: len(split) for name, split in loaded.items()} == {"train": 1, "validation": 1}
    tags = loaded["train"].features["ner_tags"].feature.names
    assert tags == [
        "O",
        "B-CASUALTY_FIGURE",
        "I-CASUALTY_FIGURE",
        "B-LOCATION",
        "I-LOCATION",
        "B-ACTOR",
        "I-ACTOR",
    ]
    example = next(iter(loaded["train"]))
    entities = [
        (token, tags[tag])
        for token, tag in zip(example["tokens"], example["ner_tags"], strict=True)
        if tag
    ]
    assert ("Idlib", "B-LOCATION") in entities
    for span in example["spans"]:
        assert example["text"][span["start"] : span["end"]] == span["text"]


def test_an_export_written_by_the_command_line_goes_to_the_audit_log(project, reviewed, tmp_path):
    export(project, "jsonl", tmp_path / "gold.jsonl")
    with pytest.raises(CommandError):
        export(project, "brat", tmp_path / "gold.zip", "--splits", "0.8,0.1,0.1")
    [event] = AuditEvent.objects.filter(project=project, action="export_downloaded")
    assert (event.actor, event.who) == (None, "command line")
    assert event.summary == "Exported 2 documents as jsonl to gold.jsonl"
    assert str(tmp_path) not in json.dumps(event.details)


def test_the_brat_zip_is_the_same_bytes_whenever_it_is_made(
    project, reviewed, tmp_path, monkeypatch
):
    export(project, "brat", tmp_path / "first.zip")
    later = zipfile.time.time() + 86_400
    monkeypatch.setattr(zipfile.time, "time", lambda: later)
    export(project, "brat", tmp_path / "second.zip")
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()
