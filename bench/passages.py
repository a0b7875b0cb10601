"""Shared-passage detection over a synthetic corpus: seconds and peak memory for N documents.

Documents of 12 paragraphs of Zipf-distributed words; about 5% of paragraphs are copies of
earlier ones (half of them with a word changed), as outlets reprint each other. Pure domain
code: no database. Prints one JSON object.
"""

import json
import random
import resource
import sys
import time

from annotator.domain.passages import passage_clusters

PARAGRAPHS = 12


def corpus(count: int) -> list[tuple[int, str]]:
    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(20_000)]
    weights = [1 / (i + 1) for i in range(len(vocabulary))]
    reprintable: list[str] = []
    documents = []
    for number in range(count):
        paragraphs = []
        for _ in range(PARAGRAPHS):
            if reprintable and rng.random() < 0.05:
                words = rng.choice(reprintable).split()
                if rng.random() < 0.5:
                    words[rng.randrange(len(words))] = "changed"
                paragraphs.append(" ".join(words))
                continue
            paragraph = " ".join(rng.choices(vocabulary, weights, k=rng.randint(10, 70)))
            paragraphs.append(paragraph)
            if rng.random() < 0.01:
                reprintable.append(paragraph)
        documents.append((number, "\n\n".join(paragraphs)))
    return documents


def main() -> None:
    count = int(sys.argv[1])
    documents = corpus(count)
    started = time.perf_counter()
    clusters = passage_clusters(documents)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "documents": count,
                "paragraphs": count * PARAGRAPHS,
                "clusters": len(clusters),
                "seconds": seconds,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
