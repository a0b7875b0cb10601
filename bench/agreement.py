"""Agreement at scale: 10,000 documents × 3 annotators × ~15 spans each.

Run by bench/run.py in a fresh process per database (DATABASE_URL set, production settings).
Measures a refresh from scratch (every document's tallies computed again from the spans, then
added up), a refresh from the stored tallies (what the background task does), one document's
tallies (what a submission adds), and the dashboard's server time. Prints one JSON object.
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotator.domain.documents import text_sha256  # noqa: E402
from annotator.domain.tokenize import tokenize  # noqa: E402
from annotator.models import Assignment, Document, ProjectAgreement, Span  # noqa: E402
from annotator.services import (  # noqa: E402
    agreement_refresh,
    document_agreement_compute,
    membership_set,
    project_create,
)

DOCUMENTS = int(os.environ.get("BENCH_AGREEMENT_DOCUMENTS", "10000"))
ANNOTATORS = 3
SPANS = 15
ROUNDS = 30
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))


def main() -> None:
    from django.db import connection

    project = project_create(slug="bench-agreement", name="Bench agreement")
    labels = {label.key: label for label in project.labels.all()}
    lead = get_user_model().objects.create_user("bench-lead")
    membership_set(project=project, username=lead.username, role="lead")
    annotators = []
    for number in range(ANNOTATORS):
        user = get_user_model().objects.create_user(f"bench-annotator-{number}")
        membership_set(project=project, username=user.username, role="annotator")
        annotators.append(user)
    started = time.perf_counter()
    make_corpus(project, annotators, labels)
    setup_seconds = time.perf_counter() - started

    scratch = timed(lambda: agreement_refresh(project, recompute=True))
    stored = [timed(lambda: agreement_refresh(project)) for _ in range(3)]
    documents = list(Document.objects.filter(project=project).order_by("?")[:ROUNDS])
    one = [timed(lambda d=document: document_agreement_compute(d)) for document in documents]

    client = Client()
    client.force_login(lead)
    url = reverse("agreement_dashboard", args=[project.slug])
    for _ in range(3):
        client.get(url)
    page = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        page.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"dashboard failed: {response.status_code}")
    figures = ProjectAgreement.objects.get(project=project).figures
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "documents": figures["documents"],
                "spans": Span.objects.filter(assignment__document__project=project).count(),
                "setup_s": setup_seconds,
                "scratch_s": scratch / 1000,
                "stored_s": statistics.median(stored) / 1000,
                "document_ms": statistics.median(one),
                "dashboard_p50_ms": statistics.median(page),
                "dashboard_p95_ms": sorted(page)[int(0.95 * (len(page) - 1))],
                "exact_f1": figures["f1"]["exact"]["micro"],
                "unitizing_alpha": figures["unitizing"]["alpha"],
            }
        )
    )


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def make_corpus(project, annotators, labels) -> None:
    """Seed-sized documents; each annotator's spans are a shared set of ~15, each kept, moved
    by a token, relabelled or dropped at random, as real disagreements are."""
    rng = random.Random(0)
    seeds = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    seed_tokens = [tokenize(text) for text in seeds]
    keys = sorted(labels)
    now = timezone.now()
    with transaction.atomic():
        for first in range(0, DOCUMENTS, 1000):
            batch = []
            for number in range(first, min(first + 1000, DOCUMENTS)):
                text = f"Report {number}\n" + seeds[number % len(seeds)]
                batch.append(
                    Document(
                        project=project,
                        external_id=f"bench-{number}",
                        title=f"Report {number}",
                        text=text,
                        sha256=text_sha256(text),
                    )
                )
            documents = Document.objects.bulk_create(batch)
            assignments = Assignment.objects.bulk_create(
                Assignment(
                    document=document,
                    annotator=annotator,
                    status=Assignment.Status.SUBMITTED,
                    submitted_at=now,
                )
                for document in documents
                for annotator in annotators
            )
            spans = []
            for index in range(len(documents)):
                number = first + index
                shift = len(f"Report {number}\n")
                tokens = seed_tokens[number % len(seeds)]
                base = _base_spans(rng, tokens, shift, keys)
                for assignment in assignments[
                    index * len(annotators) : (index + 1) * len(annotators)
                ]:
                    for start, end, key in _variant(rng, base, keys):
                        attributes = (
                            {"outcome": rng.choice(["killed", "injured"])}
                            if key == "CASUALTY_FIGURE"
                            else {}
                        )
                        spans.append(
                            Span(
                                assignment=assignment,
                                label=labels[key],
                                start=start,
                                end=end,
                                attributes=attributes,
                            )
                        )
            Span.objects.bulk_create(spans, batch_size=2000)


def _base_spans(rng, tokens, shift, keys) -> list[tuple[int, int, str]]:
    starts = sorted(rng.sample(range(0, len(tokens) - 6, 6), SPANS))
    return [
        (tokens[i].start + shift, tokens[i + rng.randint(0, 3)].end + shift, rng.choice(keys))
        for i in starts
    ]


def _variant(rng, base, keys) -> set[tuple[int, int, str]]:
    spans = set()
    for start, end, key in base:
        roll = rng.random()
        if roll < 0.75:
            spans.add((start, end, key))
        elif roll < 0.85:
            spans.add((start, end + 2, key))
        elif roll < 0.92:
            spans.add((start, end, rng.choice(keys)))
    return spans


if __name__ == "__main__":
    main()
