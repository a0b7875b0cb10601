import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotator.management.files import open_each
from annotator.models import Assignment, Membership, Project
from annotator.services import (
    assignment_next,
    assignment_submit,
    document_import,
    gazetteer_add_starter,
    membership_set,
    project_create,
    project_settings_update,
    span_create,
)

DEMO_SLUG = "syria-casualties"
DEMO_USERS = {
    "lead": Membership.Role.LEAD,
    "annotator1": Membership.Role.ANNOTATOR,
    "annotator2": Membership.Role.ANNOTATOR,
}
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
CONTENT_NOTE = (
    "These reports describe the killing and wounding of civilians, children among them. "
    "You can blur the text (**Blur text**, or Alt+B) and read it only when you choose, and "
    "stop or take a break at any time: your work is saved as you go."
)


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
            project = Project.objects.filter(slug=DEMO_SLUG).first()
            if project is None:
                project = project_create(
                    slug=DEMO_SLUG,
                    name="Syria casualty reports",
                    description="Casualty figures, locations and actors in news reports from "
                    "Syria.",
                    guidelines=(FIXTURES / "guidelines.md").read_text(encoding="utf-8"),
                )
                project_settings_update(project=project, values={"content_note": CONTENT_NOTE})
            seeds = sorted((FIXTURES / "seeds").glob("*.txt"))
            report = document_import(
                project=project,
                files=open_each(seeds),
            )
            passwords = self._ensure_users(project, reset_passwords)
            # The demo shows suggestions of places and parties too; new projects start empty.
            gazetteer_add_starter(project=project)
            annotated = add_demo_annotations(project)
        self.stdout.write(f"Demo project '{DEMO_SLUG}': {report.summary()}")
        if annotated:
            self.stdout.write(
                f"Demo annotations: annotator1 and annotator2 submitted {annotated} articles; "
                "the other two are waiting for you."
            )
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


def add_demo_annotations(project) -> int:
    """Both demo annotators' submitted work on the first seed articles (fixtures/
    demo_annotations.json), made through the same services as the pages. Returns the number of
    articles annotated; 0 when the demo annotators have started work already."""
    annotations = json.loads((FIXTURES / "demo_annotations.json").read_text(encoding="utf-8"))
    articles = {name: spans for name, spans in annotations.items() if not name.startswith("_")}
    labels = {label.key: label for label in project.labels.all()}
    users = get_user_model().objects
    for username in ("annotator1", "annotator2"):
        annotator = users.get(username=username)
        if Assignment.objects.in_project(project).of(annotator).exists():
            return 0
        for name, by_annotator in articles.items():
            assignment = assignment_next(project=project, annotator=annotator)
            if assignment is None or assignment.document.source_name != name:
                raise CommandError(f"demo annotations expect {name} next for {username}")
            text = assignment.document.text
            for phrase, occurrence, label, attributes in by_annotator[username]:
                start = _nth(text, phrase, occurrence)
                span_create(
                    assignment=assignment,
                    label=labels[label],
                    start=start,
                    end=start + len(phrase),
                    attributes=attributes,
                )
            assignment_submit(assignment=assignment)
    return len(articles)


def _nth(text: str, phrase: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.index(phrase, start + 1)
    return start
