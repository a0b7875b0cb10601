from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotator.domain.importers import FORMATS
from annotator.models import Project
from annotator.services import ServiceError, document_import
from annotator.services.imported_annotations import MODES, AnnotationOptions

from ..files import expand_paths, open_each
from ..progress import CountingReader, ProgressBar


class Command(BaseCommand):
    help = (
        "Import documents into a project from .txt files (one document each), folders of them, "
        '.jsonl files (one {"text": ...} object a line; our own export; doccano\'s export), '
        ".csv files (a 'text' column), Label Studio's JSON export (.json) or a .zip of any of "
        "these (doccano's export is one .jsonl per annotator). All or nothing unless "
        "--skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument("paths", nargs="+", help="files or folders to import")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the good rows and report the bad ones, instead of importing nothing",
        )
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="how to read every file given, when the names' suffixes do not say "
            "(by default: .txt, .jsonl (ours or doccano's), .csv, .json (Label Studio), "
            ".conll/.iob, .zip (doccano's or brat's))",
        )
        parser.add_argument(
            "--annotations",
            choices=MODES,
            default="gold",
            help="what the files' spans become: nothing, each annotator's submitted work "
            "(counted for agreement and reviewed here), or gold (the default: a file's gold "
            "spans, or the one annotation it marks as ground truth)",
        )
        parser.add_argument(
            "--create-labels",
            action="store_true",
            help="make the labels the files use and the project lacks, instead of refusing",
        )
        parser.add_argument(
            "--annotator",
            action="append",
            default=[],
            metavar="SOURCE=USERNAME",
            help="the work of a source annotator (e.g. label-studio-3, doccano-admin) goes to "
            "this existing user, not to a new imported-<source> account; repeatable",
        )

    def handle(
        self,
        *args,
        project,
        paths,
        skip_invalid,
        format,
        annotations,
        create_labels,
        annotator,
        **_,
    ):
        try:
            target = Project.objects.get(slug=project)
        except Project.DoesNotExist:
            raise CommandError(f"no project with slug '{project}'") from None
        files = expand_paths(paths)
        progress = ProgressBar(sum(path.stat().st_size for path in files))

        options = AnnotationOptions(
            mode=annotations, create_labels=create_labels, users=_users(annotator)
        )
        try:
            report = document_import(
                project=target,
                files=open_each(files, wrap=lambda stream: CountingReader(stream, progress)),
                skip_invalid=skip_invalid,
                annotations=options,
                format=format,
            )
        except ServiceError as refusal:
            raise CommandError(refusal.message) from None
        progress.finish()
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.committed:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())


def _users(pairs: list[str]) -> tuple[tuple[str, str], ...]:
    users = []
    for pair in pairs:
        source, _, username = pair.partition("=")
        if not source or not username:
            raise CommandError(f"--annotator: '{pair}' is not SOURCE=USERNAME")
        if not get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"--annotator: there is no user '{username}'")
        users.append((source, username))
    return tuple(users)
