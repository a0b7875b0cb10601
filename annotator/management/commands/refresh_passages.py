import sys

from django.core.management.base import BaseCommand, CommandError

from annotator.models import Project
from annotator.services.passages import passages_refresh


class Command(BaseCommand):
    help = (
        "Find the paragraphs a project's documents share (word for word or nearly) and store "
        "them as clusters, replacing the old ones, as the background task does after an import."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the project's slug")

    def handle(self, *args, slug, **options):
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"no project with slug '{slug}'")
        shown = sys.stderr.isatty()

        def progress(done: int) -> None:
            if shown:
                sys.stderr.write(f"\r{done:,} documents read")
                sys.stderr.flush()

        clusters = passages_refresh(project=project, progress=progress)
        if shown:
            sys.stderr.write("\n")
        exact = sum(cluster.exact for cluster in clusters)
        self.stdout.write(
            f"{len(clusters):,} shared passages ({exact:,} word for word, "
            f"{len(clusters) - exact:,} nearly)"
        )
