"""Server time of the pages and writes an annotator and a lead use, in a big project.

A project of N seed-sized documents, all but the last few already annotated by two annotators
(so "next document" has to find the few left, as for the N-th document of a real project);
the first REVIEWED of them with 10-20 spans each and realistic disagreement (shifted
boundaries, swapped labels, missed spans), their agreement computed. Then, through Django's
test client (server time, no network): next document, the annotate page, span saves, submit,
the review page, the review queue and the project page. A submission's time includes finding
the annotator's next document, which the page then opens. Run by bench/run.py in a fresh process
(DATABASE_URL set, production settings) with N; prints one JSON object.
"""

import json
import os
import random
import re
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotator.domain.documents import text_sha256  # noqa: E402
from annotator.models import Assignment, Document, Span  # noqa: E402
from annotator.services import (  # noqa: E402
    documents_agreement_compute,
    membership_set,
    project_create,
)

SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
ROUNDS = 40  # documents annotated while measuring
SAVES = 10  # spans saved on each
REVIEWED = 1000  # documents with two annotators' spans, for the review pages
BATCH = 2000
WORD = re.compile(r"\w+")


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "n": len(ordered),
    }


def timed(samples: list, send, *args, **kwargs):
    started = time.perf_counter()
    response = send(*args, **kwargs)
    samples.append((time.perf_counter() - started) * 1000)
    if response.status_code >= 400:
        raise SystemExit(f"request failed: {response.status_code} {response.content[:300]!r}")
    return response


def user(username: str, project, role: str):
    made = get_user_model().objects.create_user(username, password=None)
    membership_set(project=project, username=username, role=role)
    return made


def build(count: int):
    """The project: `count` documents, all but the last 2 × ROUNDS taken by two annotators."""
    project = project_create(slug="bench-paths", name="Bench paths")
    labels = list(project.labels.exclude(key="CASUALTY_FIGURE"))
    first, second = user("ann-a", project, "annotator"), user("ann-b", project, "annotator")
    seeds = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    rng = random.Random(0)
    now = timezone.now()
    taken = count - 2 * ROUNDS
    for start in range(0, count, BATCH):
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                Document(
                    project=project,
                    external_id=f"bench-{number}",
                    text=(text := f"Report {number}\n" + seeds[number % len(seeds)]),
                    sha256=text_sha256(text),
                    # As assignment_next keeps it: the two assignments below hold both places.
                    places_taken=2 if number < taken else 0,
                )
                for number in range(start, min(start + BATCH, count))
            )
            done = [d for d in documents if _number(d) < taken]
            assignments = Assignment.objects.bulk_create(
                Assignment(
                    document=document,
                    annotator=annotator,
                    status=Assignment.Status.SUBMITTED,
                    submitted_at=now,
                )
                for document in done
                for annotator in (first, second)
            )
            Span.objects.bulk_create(_disagreeing_spans(assignments, labels, rng), batch_size=5000)
    reviewed = list(
        Document.objects.filter(project=project)
        .order_by("id")
        .values_list("id", flat=True)[:REVIEWED]
    )
    documents_agreement_compute(project, reviewed)
    return project, reviewed


def _number(document) -> int:
    return int(document.external_id.removeprefix("bench-"))


def _disagreeing_spans(assignments, labels, rng):
    """10-20 spans per annotation of the first REVIEWED documents; the second annotator's
    copy shifts a boundary, swaps a label or misses a span now and then."""
    for assignment in assignments:
        if _number(assignment.document) >= REVIEWED:
            continue
        words = [m.span() for m in WORD.finditer(assignment.document.text)]
        pick = random.Random(assignment.document_id)  # the same words for both annotators
        chosen = sorted(pick.sample(range(0, len(words) - 2, 3), pick.randint(10, 20)))
        second = assignment.annotator.username == "ann-b"
        for index in chosen:
            start, end = words[index]
            label = labels[index % len(labels)]
            if second:
                roll = rng.random()
                if roll < 0.1:
                    continue  # missed
                if roll < 0.2:
                    end = words[index + 1][1]  # boundary shifted
                elif roll < 0.3:
                    label = labels[(index + 1) % len(labels)]  # label swapped
            yield Span(assignment=assignment, label=label, start=start, end=end)


def measure(project, reviewed) -> dict:
    times = {name: [] for name in ("next", "page", "save", "submit", "review", "queue", "project")}
    lead = user("bench-lead", project, "lead")
    client = Client()
    for round_number in range(ROUNDS):
        # A new annotator each round: "next document" finds a document, rather than
        # returning the one a submission already handed out.
        client.force_login(user(f"bench-{round_number}", project, "annotator"))
        moved = timed(times["next"], client.post, reverse("annotate_next", args=[project.slug]))
        page_url = moved["Location"]
        timed(times["page"], client.get, page_url)
        assignment_id = int(page_url.rstrip("/").split("/")[-1])
        text = Assignment.objects.get(pk=assignment_id).document.text
        save_url = reverse("span_create", args=[project.slug, assignment_id])
        for start, end in [m.span() for m in WORD.finditer(text)][::3][:SAVES]:
            data = {"label": "LOCATION", "start": start, "end": end}
            timed(times["save"], client.post, save_url, data, HTTP_HX_REQUEST="true")
        submit_url = reverse("assignment_submit", args=[project.slug, assignment_id])
        timed(times["submit"], client.post, submit_url)
    client.force_login(lead)
    for document_id in reviewed[:ROUNDS]:
        timed(
            times["review"],
            client.get,
            reverse("review_document", args=[project.slug, document_id]),
        )
    for _ in range(ROUNDS // 2):
        timed(times["queue"], client.get, reverse("review_queue", args=[project.slug]))
        timed(times["project"], client.get, reverse("project_detail", args=[project.slug]))
    return {name: percentiles(samples) for name, samples in times.items()}


def main(count: int) -> None:
    started = time.perf_counter()
    project, reviewed = build(count)
    built = time.perf_counter() - started
    figures = measure(project, reviewed)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "documents": count,
                "spans": Span.objects.filter(assignment__document__project=project).count(),
                "build_s": built,
                **figures,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
