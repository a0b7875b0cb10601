"""A gold corpus for the export benchmark: N seed-sized documents, each adjudicated with ~15
gold spans. Run by bench/run.py in a fresh process (DATABASE_URL set); prints the count."""

import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotator.domain.documents import text_sha256  # noqa: E402
from annotator.domain.tokenize import tokenize  # noqa: E402
from annotator.models import Document, GoldSpan, Review  # noqa: E402
from annotator.services import project_create  # noqa: E402

SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
SPANS = 15
BATCH = 1000


def main(count: int) -> None:
    project = project_create(slug="bench-export", name="Bench export")
    labels = list(project.labels.all())
    rng = random.Random(0)
    seeds = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    tokens = [tokenize(text) for text in seeds]
    now = timezone.now()
    for first in range(0, count, BATCH):
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                Document(
                    project=project,
                    external_id=f"bench-{number}",
                    title=f"Report {number}",
                    text=(text := f"Report {number}\n" + seeds[number % len(seeds)]),
                    sha256=text_sha256(text),
                )
                for number in range(first, min(first + BATCH, count))
            )
            Review.objects.bulk_create(
                Review(document=d, project=project, status=Review.Status.DONE, finished_at=now)
                for d in documents
            )
            spans = []
            for number, document in enumerate(documents, start=first):
                shift = len(f"Report {number}\n")
                words = tokens[number % len(seeds)]
                for index in sorted(rng.sample(range(0, len(words) - 4, 4), SPANS)):
                    spans.append(
                        GoldSpan(
                            document=document,
                            label=labels[index % len(labels)],
                            start=words[index].start + shift,
                            end=words[index + rng.randint(0, 2)].end + shift,
                            decision="accepted",
                        )
                    )
            GoldSpan.objects.bulk_create(spans, batch_size=5000)
    print(count)


if __name__ == "__main__":
    main(int(sys.argv[1]))
