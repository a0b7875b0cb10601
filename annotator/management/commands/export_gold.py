import csv
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.domain.exporters import brat_ann, casualty_rows, conll_lines, jsonl_lines
from annotator.domain.splits import assign_splits
from annotator.models import Project
from annotator.services.exports import ExportOptions, gold_documents, gold_documents_count

from ..progress import ProgressBar

FORMATS = ("jsonl", "layers", "conll", "brat", "casualty", "spacy")


class Command(BaseCommand):
    help = (
        "Export a project's adjudicated gold: jsonl (canonical, with provenance and agreement), "
        "layers (jsonl with every annotator's own spans too), conll (IOB2), brat (a zip of "
        ".txt and .ann files), casualty (a CSV of casualty figures) or spacy (a DocBin; needs "
        "the [spacy] extra)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument(
            "--include-auto-accepted",
            action="store_true",
            help="also documents every annotator agreed on, accepted without review",
        )
        parser.add_argument(
            "--splits",
            help="train,dev,test shares, e.g. 0.8,0.1,0.1: adds each document's split (jsonl)",
        )
        parser.add_argument("--seed", type=int, default=0, help="the seed of the splits")

    def handle(self, *args, project, format, output, include_auto_accepted, splits, seed, **_):
        try:
            target = Project.objects.get(slug=project)
        except Project.DoesNotExist:
            raise CommandError(f"no project with slug '{project}'") from None
        ratios = _ratios(splits) if splits else None
        if ratios and format not in ("jsonl", "layers"):
            raise CommandError("--splits: only the jsonl formats carry splits")
        options = ExportOptions(
            include_auto_accepted=include_auto_accepted, layers=format == "layers"
        )
        total = gold_documents_count(target, options)
        progress = ProgressBar(total, stream=sys.stderr, unit="documents")
        documents = _counted(gold_documents(target, options), progress)
        if ratios:
            documents = _with_splits(target, options, ratios, seed, documents)
        path = Path(output)
        problems = []
        if format == "spacy":
            try:
                from annotator.domain.exporters_spacy import docbin_bytes

                path.write_bytes(docbin_bytes(documents, problems))
            except ImportError:
                raise CommandError(
                    "the spacy format needs spaCy: pip install 'annotator[spacy]'"
                ) from None
        elif format == "brat":
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for document in documents:
                    archive.writestr(f"{document.id}.txt", document.text)
                    archive.writestr(f"{document.id}.ann", brat_ann(document))
        else:
            with path.open("w", encoding="utf-8", newline="") as out:
                if format == "casualty":
                    csv.writer(out).writerows(casualty_rows(documents))
                elif format == "conll":
                    out.writelines(conll_lines(documents, problems))
                else:
                    out.writelines(jsonl_lines(documents, layers=format == "layers"))
        progress.finish()
        for problem in problems:
            self.stderr.write(f"{path.name}: {problem}")
        self.stdout.write(
            f"{total:,} document{'s' if total != 1 else ''} exported to {path}"
            + (
                f"; {len(problems)} span(s) the format cannot hold, listed above"
                if problems
                else ""
            )
        )


def _ratios(text: str) -> tuple[float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise CommandError(f"--splits: '{text}' is not three numbers like 0.8,0.1,0.1") from None
    if len(values) != 3 or any(value < 0 for value in values) or sum(values) <= 0:
        raise CommandError(f"--splits: '{text}' is not three shares like 0.8,0.1,0.1")
    return values


def _counted(documents, progress):
    for document in documents:
        yield document
        progress.advance(1)


def _with_splits(project, options, ratios, seed, documents):
    # A first pass over the texts only: splits depend on which documents share paragraphs.
    texts_only = ExportOptions(include_auto_accepted=options.include_auto_accepted)
    texts = ((document.id, document.text) for document in gold_documents(project, texts_only))
    assigned = assign_splits(texts, ratios, seed)
    for document in documents:
        yield replace(document, split=assigned[document.id])
