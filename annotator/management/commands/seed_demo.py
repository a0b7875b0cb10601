import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from annotator.management.files import open_each
from annotator.models import Membership, Project
from annotator.services import document_import, membership_set, project_create

DEMO_SLUG = "syria-casualties"
DEMO_USERS = {
    "lead": Membership.Role.LEAD,
    "annotator1": Membership.Role.ANNOTATOR,
    "annotator2": Membership.Role.ANNOTATOR,
}
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Create the demo project with the five seed articles and the users lead, annotator1 and "
        "annotator2. Safe to run again: what exists is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="give the demo users new random passwords even if they exist",
        )

    def handle(self, *args, reset_passwords, **options):
        with transaction.atomic():
            project = Project.objects.filter(slug=DEMO_SLUG).first() or project_create(
                slug=DEMO_SLUG,
                name="Syria casualty reports",
                description="Casualty figures, locations and actors in news reports from Syria.",
                guidelines=(FIXTURES / "guidelines.md").read_text(encoding="utf-8"),
            )
            seeds = sorted((FIXTURES / "seeds").glob("*.txt"))
            report = document_import(
                project=project,
                files=open_each(seeds),
            )
            passwords = self._ensure_users(project, reset_passwords)
        self.stdout.write(f"Demo project '{DEMO_SLUG}': {report.summary()}")
        if passwords:
            self.stdout.write("Demo users (passwords are shown only now):")
            for username, password in passwords.items():
                self.stdout.write(f"  {username:<12} {password}")
        else:
            self.stdout.write(
                "Demo users exist already; to get new passwords run "
                "`make demo-passwords` (or seed_demo --reset-passwords)."
            )

    def _ensure_users(self, project, reset_passwords: bool) -> dict[str, str]:
        users = get_user_model().objects
        passwords = {}
        for username, role in DEMO_USERS.items():
            user, created = users.get_or_create(username=username)
            if created or reset_passwords:
                passwords[username] = secrets.token_urlsafe(9)
                user.set_password(passwords[username])
                user.save()
            membership_set(project=project, username=username, role=role)
        return passwords
