import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.domain.audit import file_name_shown
from annotator.models import Project
from annotator.services import ServiceError
from annotator.services.export_files import FORMATS, export_download_record, gold_export

from ..progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Export a project's adjudicated gold: jsonl (canonical, with provenance and agreement), "
        "layers (jsonl with every annotator's own spans too), conll (IOB2), brat (a zip of "
        ".txt and .ann files), casualty (a CSV of casualty figures), spacy (a DocBin; needs "
        "the [spacy] extra) or hf (a Hugging Face dataset folder: train, validation and test "
        "JSONL and a dataset card)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("-o", "--output", required=True, help="the file (hf: folder) to write")
        parser.add_argument(
            "--include-auto-accepted",
            action="store_true",
            help="also documents every annotator agreed on, accepted without review",
        )
        parser.add_argument(
            "--splits",
            help="train,dev,test shares, e.g. 0.8,0.1,0.1 (jsonl, layers; hf: that by default)",
        )
        parser.add_argument("--seed", type=int, default=0, help="the seed of the splits")

    def handle(self, *args, project, format, output, include_auto_accepted, splits, seed, **_):
        try:
            target = Project.objects.get(slug=project)
        except Project.DoesNotExist:
            raise CommandError(f"no project with slug '{project}'") from None
        path = Path(output)
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            bar = bar or ProgressBar(total, stream=sys.stderr, unit="documents")
            bar.advance(1)

        try:
            result = gold_export(
                project=target,
                format=format,
                path=path,
                include_auto_accepted=include_auto_accepted,
                ratios=_ratios(splits) if splits else None,
                seed=seed,
                progress=progress,
            )
        except ServiceError as refusal:
            raise CommandError(
                f"--{refusal.field}: {refusal.message}" if refusal.field else refusal.message
            ) from None
        if bar:
            bar.finish()
        written = file_name_shown(output)
        export_download_record(
            project=target,
            actor=None,
            format=format,
            summary=f"Exported {result.documents} documents as {format} to {written}",
            details={"file_name": written, "documents": result.documents},
        )
        for problem in result.problems:
            self.stderr.write(f"{path.name}: {problem}")
        count = result.documents
        summary = f"{count:,} document{'s' if count != 1 else ''} exported to {path}"
        if result.problems:
            summary += f"; {len(result.problems)} span(s) the format cannot hold, listed above"
        self.stdout.write(summary)


def _ratios(text: str) -> tuple[float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise CommandError(f"--splits: '{text}' is not three numbers like 0.8,0.1,0.1") from None
    if len(values) != 3:
        raise CommandError(f"--splits: '{text}' is not three shares like 0.8,0.1,0.1")
    return values
