from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotator.models import Membership, Project
from annotator.services import membership_set


class Command(BaseCommand):
    help = "Add a user to a project as lead or annotator (or change their role)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the project's slug")
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Membership.Role.values)

    def handle(self, *args, slug, username, role, **options):
        try:
            project = Project.objects.get(slug=slug)
        except Project.DoesNotExist:
            raise CommandError(f"no project with slug '{slug}'") from None
        if not get_user_model().objects.filter(username=username).exists():
            raise CommandError(
                f"no user '{username}' (create one with createsuperuser or the admin)"
            )
        membership_set(project=project, username=username, role=role)
        self.stdout.write(f"{username} is now {role} of '{slug}'")
