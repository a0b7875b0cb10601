from django.core.management.base import BaseCommand, CommandError

from annotator.models import Project
from annotator.services import document_import

from ..files import expand_paths, open_each
from ..progress import CountingReader, ProgressBar


class Command(BaseCommand):
    help = (
        "Import documents into a project from .txt files (one document each), folders of them, "
        ".jsonl files (one {\"text\": ...} object a line) or .csv files (a 'text' column). "
        "All or nothing unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument("paths", nargs="+", help="files or folders to import")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the good rows and report the bad ones, instead of importing nothing",
        )

    def handle(self, *args, project, paths, skip_invalid, **options):
        try:
            target = Project.objects.get(slug=project)
        except Project.DoesNotExist:
            raise CommandError(f"no project with slug '{project}'") from None
        files = expand_paths(paths)
        progress = ProgressBar(sum(path.stat().st_size for path in files))

        report = document_import(
            project=target,
            files=open_each(files, wrap=lambda stream: CountingReader(stream, progress)),
            skip_invalid=skip_invalid,
        )
        progress.finish()
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.committed:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
