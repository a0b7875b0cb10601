"""Accounts for the load test: N annotators and M leads of project `bench`, each with an API
token. Run by bench/load.py in a fresh process (DATABASE_URL set); prints the tokens as JSON."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from annotator.models import Membership, Project  # noqa: E402
from annotator.services import membership_set, token_create  # noqa: E402


def main(annotators: int, leads: int) -> None:
    project = Project.objects.get(slug="bench")
    tokens = {"annotators": [], "leads": []}
    for kind, number, role in [
        *(("annotators", n, Membership.Role.ANNOTATOR) for n in range(annotators)),
        *(("leads", n, Membership.Role.LEAD) for n in range(leads)),
    ]:
        username = f"load-{kind[:-1]}-{number}"
        get_user_model().objects.create_user(username, password=None)
        membership_set(project=project, username=username, role=role)
        tokens[kind].append(token_create(project=project, username=username).key)
    print(json.dumps(tokens))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
