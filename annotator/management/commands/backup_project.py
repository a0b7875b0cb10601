import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.models import Project
from annotator.services.backups import project_backup

from ..progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Back up one project to a gzip'd JSON Lines file: its settings and labels, the users "
        "it names and its members, its documents with every assignment, span, review, "
        "decision and gold span, and its audit log. Password hashes are left out unless "
        "--include-password-hashes. Restore it with restore_project."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the project's slug")
        parser.add_argument(
            "-o", "--output", required=True, help="the file to write, e.g. idlib.jsonl.gz"
        )
        parser.add_argument(
            "--include-password-hashes",
            action="store_true",
            help="keep users' password hashes, so that accounts a restore makes can log in "
            "(keep such a file as safe as the database)",
        )

    def handle(self, *args, slug, output, include_password_hashes, **_):
        try:
            project = Project.objects.get(slug=slug)
        except Project.DoesNotExist:
            raise CommandError(f"no project with slug '{slug}'") from None
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"--output: there is no folder {path.parent}")
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            bar = bar or ProgressBar(total, stream=sys.stderr, unit="documents")
            bar.advance(done - bar.done)

        summary = project_backup(
            project=project,
            path=path,
            include_password_hashes=include_password_hashes,
            progress=progress,
        )
        if bar:
            bar.finish()
        counts = summary.counts
        self.stdout.write(
            f"Backed up '{slug}' to {path}: {counts['documents']:,} documents, "
            f"{counts['assignments']:,} assignments, {counts['spans']:,} spans, "
            f"{counts['reviews']:,} reviews, {counts['gold_spans']:,} gold spans"
        )
