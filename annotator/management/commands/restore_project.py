import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.domain.backups import BackupError
from annotator.services import ServiceError
from annotator.services.backups import project_restore

from ..progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Restore a project from a file made by backup_project, as a new project (under its "
        "own slug, or --slug), in one transaction: a file that is damaged, truncated, of "
        "another version or holding a record that does not fit is refused, naming the line, "
        "and nothing is changed. People are matched by username; missing accounts are made "
        "without a usable password unless the backup holds its hash."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--slug", help="restore under this slug instead of the original")

    def handle(self, *args, file, slug, **_):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            bar = bar or ProgressBar(total, stream=sys.stderr, unit="documents")
            bar.advance(done - bar.done)

        try:
            summary = project_restore(path=path, slug=slug, progress=progress)
        except BackupError as error:
            raise CommandError(f"{path.name}: {error}; nothing was restored") from None
        except ServiceError as refusal:
            field = f"--{refusal.field}: " if refusal.field else ""
            raise CommandError(f"{field}{refusal.message}") from None
        if bar:
            bar.finish()
        counts = summary.counts
        ids = "ids kept" if summary.ids_kept else "new ids (those of the backup are taken here)"
        self.stdout.write(
            f"Restored '{summary.project.slug}' from {path.name}: {counts['documents']:,} "
            f"documents, {counts['assignments']:,} assignments, {counts['spans']:,} spans, "
            f"{counts['reviews']:,} reviews, {counts['gold_spans']:,} gold spans; {ids}"
        )
