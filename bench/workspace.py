"""Server time of the annotate page and of span saves: a 50 KB document with 500 spans.

Run by bench/run.py in a fresh process per database (DATABASE_URL set, production settings).
Times are measured around Django's WSGI handler through the test client, so they are server
time without network or browser. Prints one JSON object.
"""

import json
import os
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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from annotator.domain.documents import text_sha256  # noqa: E402
from annotator.models import Document, Span  # noqa: E402
from annotator.services import (  # noqa: E402
    assignment_next,
    membership_set,
    project_create,
)

DOCUMENT_CHARS = 50_000
SPANS = 500
ROUNDS = 60
BROWSER_ROUNDS = 20  # free words left for bench/browser.py
PASSWORD = "bench-only-password"


def long_document() -> str:
    seeds = [
        path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures/seeds").glob("*.txt"))
    ]
    text, number = "", 0
    while len(text) < DOCUMENT_CHARS:
        text += seeds[number % len(seeds)] + "\n\n"
        number += 1
    return text[:DOCUMENT_CHARS]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(call) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 400:
        raise SystemExit(f"request failed: {response.status_code} {response.content[:300]!r}")
    return elapsed


def main() -> None:
    from django.db import connection

    project = project_create(slug="bench-ws", name="Bench workspace")
    text = long_document()
    Document.objects.create(project=project, text=text, sha256=text_sha256(text))
    user = get_user_model().objects.create_user("bench-annotator", password=PASSWORD)
    membership_set(project=project, username=user.username, role="annotator")
    assignment = assignment_next(project=project, annotator=user)
    words = [match.span() for match in re.finditer(r"\w+", text)]
    # Every other word, so spans never touch; one in nine of them is left free for the saves.
    wanted = ROUNDS + BROWSER_ROUNDS
    candidates = words[::2][: max(wanted * 9, SPANS * 9 // 8) + 9]
    free = candidates[8::9][:wanted]
    existing = [word for word in candidates if word not in free][:SPANS]
    assert len(existing) == SPANS and len(free) == wanted, (len(existing), len(free))
    labels = list(project.labels.all())
    Span.objects.bulk_create(
        Span(assignment=assignment, label=labels[number % 3], start=start, end=end)
        for number, (start, end) in enumerate(existing)
    )
    client = Client()
    client.force_login(user)
    page_url = reverse("annotate_document", args=[project.slug, assignment.id])
    create_url = reverse("span_create", args=[project.slug, assignment.id])
    for _ in range(5):  # warm up templates and connections
        client.get(page_url)
    page = [timed(lambda: client.get(page_url)) for _ in range(ROUNDS)]
    saves = []
    for start, end in free[:ROUNDS]:
        data = {"label": "LOCATION", "start": start, "end": end}
        saves.append(timed(lambda data=data: client.post(create_url, data, HTTP_HX_REQUEST="true")))
    spans = Span.objects.filter(assignment=assignment).count()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "document_chars": len(text),
                "spans": SPANS,
                "spans_after_saves": spans,
                "page_bytes": len(client.get(page_url).content),
                "page_p50_ms": statistics.median(page),
                "page_p95_ms": percentile(page, 0.95),
                "save_p50_ms": statistics.median(saves),
                "save_p95_ms": percentile(saves, 0.95),
                "page_url": page_url,
                "username": user.username,
                "password": PASSWORD,
                "browser_free": free[ROUNDS:],
            }
        )
    )


if __name__ == "__main__":
    main()
