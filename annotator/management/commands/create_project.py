from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotator.models import Project
from annotator.services import project_create


class Command(BaseCommand):
    help = "Create a project with the default casualty labels (CASUALTY_FIGURE, LOCATION, ACTOR)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--description", default="")

    def handle(self, *args, slug, name, description, **options):
        if Project.objects.filter(slug=slug).exists():
            raise CommandError(f"a project with slug '{slug}' already exists")
        try:
            project = project_create(slug=slug, name=name, description=description)
        except ValidationError as error:
            raise CommandError(_describe(error)) from None
        labels = ", ".join(project.labels.values_list("key", flat=True))
        self.stdout.write(f"Created project '{project.slug}' with labels {labels}")


def _describe(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
