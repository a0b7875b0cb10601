import sys

from django.core.management.base import BaseCommand, CommandError

from annotator.models import Project
from annotator.services import agreement_refresh


class Command(BaseCommand):
    help = (
        "Add up a project's stored per-document agreement tallies into its figures, as the "
        "background task does; --recompute first computes every document's tallies again from "
        "the submitted spans."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument(
            "--recompute",
            action="store_true",
            help="recompute each document's tallies from its spans before adding them up",
        )

    def handle(self, *args, project, recompute, **options):
        try:
            target = Project.objects.get(slug=project)
        except Project.DoesNotExist:
            raise CommandError(f"no project with slug '{project}'") from None
        shown = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if shown:
                sys.stderr.write(f"\r{done:,}/{total:,} documents")
                sys.stderr.flush()

        figures = agreement_refresh(target, recompute=recompute, progress=progress).figures
        if shown:
            sys.stderr.write("\n")
        exact, overlap = figures["f1"]["exact"]["micro"], figures["f1"]["overlap"]["micro"]
        self.stdout.write(
            f"{figures['documents']:,} documents with two or more annotations; span F1 "
            f"{_shown(exact)} exact, {_shown(overlap)} overlap; unitizing alpha "
            f"{_shown(figures['unitizing']['alpha'])}"
        )


def _shown(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.3f}"
