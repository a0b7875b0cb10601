"""After a load run: every write the server acknowledged, checked against the database.
Run by bench/load.py in a fresh process (DATABASE_URL set) with the acknowledgements' file;
prints the counts as JSON. All of missing, duplicated and unexpected must be 0."""

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")

import django  # noqa: E402

django.setup()

from annotator.models import Assignment, Span  # noqa: E402


def main(acknowledged_file: str) -> None:
    acknowledged = json.loads(Path(acknowledged_file).read_text())
    expected: dict[int, str] = {}  # span id: the label it was last acknowledged with
    submitted = set()
    created = Counter()
    for write in acknowledged:
        if write["write"] == "create":
            created[write["span"]] += 1
            expected[write["span"]] = write["label"]
        elif write["write"] == "relabel":
            expected[write["span"]] = write["label"]
        elif write["write"] == "delete":
            expected.pop(write["span"], None)
        elif write["write"] == "submit":
            submitted.add(write["assignment"])
    stored = dict(
        Span.objects.filter(assignment__document__project__slug="bench").values_list(
            "pk", "label__key"
        )
    )
    places = Counter(
        Span.objects.filter(assignment__document__project__slug="bench").values_list(
            "assignment_id", "start", "end", "label_id"
        )
    )
    not_submitted = submitted - set(
        Assignment.objects.filter(pk__in=submitted, status=Assignment.Status.SUBMITTED).values_list(
            "pk", flat=True
        )
    )
    print(
        json.dumps(
            {
                "acknowledged_writes": len(acknowledged),
                "spans_expected": len(expected),
                "spans_stored": len(stored),
                "missing": sum(1 for span in expected if span not in stored),
                "wrong_label": sum(
                    1 for span, label in expected.items() if stored.get(span, label) != label
                ),
                "duplicated": sum(n - 1 for n in places.values() if n > 1)
                + sum(n - 1 for n in created.values() if n > 1),
                "unexpected": sum(1 for span in stored if span not in expected),
                "submissions_acknowledged": len(submitted),
                "submissions_lost": len(not_submitted),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
