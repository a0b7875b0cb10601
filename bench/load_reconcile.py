"""After a load run: every write the server acknowledged, checked against the database and
against an export. Run by bench/load.py in a fresh process (DATABASE_URL set) with the
acknowledgements' file; prints the counts as JSON.

The database: every acknowledged span is stored once, with the label it was last acknowledged
with; every acknowledged submission is stored; nothing else is. All of missing, wrong_label,
duplicated, unexpected and submissions_lost must be 0.

The export: an annotator's spans reach an export only in the `layers` format (each
annotator's submitted spans beside the gold), and only for documents whose review is done.
So a closing lead first decides every open review the run left (each conflict "no span here",
then finish, through the same services as the review page), then the project is exported in
`layers`. Every acknowledged span of a submitted assignment on a document whose k annotations
are all in must then be in its annotator's layer exactly once, with its last label, and the
layers hold nothing else: export_missing, export_duplicated and export_unexpected must be 0.
The spans no export can hold yet are counted, not checked: those of assignments still open
when the run stopped, and those of documents still waiting for another annotator.
"""

import json
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from annotator.models import Assignment, Document, Membership, Project, Review, Span  # noqa: E402
from annotator.services import (  # noqa: E402
    membership_set,
    review_decide,
    review_finish,
    review_state,
)
from annotator.services.export_files import gold_export  # noqa: E402
from annotator.services.exports import annotator_pseudonyms  # noqa: E402

SLUG = "bench"
CLOSING_LEAD = "load-closing-lead"
REVIEWERS = 4  # documents decided side by side, each on its own connection


def main(acknowledged_file: str) -> None:
    acknowledged = json.loads(Path(acknowledged_file).read_text())
    expected, created, submitted = _replay(acknowledged)
    counts = {"acknowledged_writes": len(acknowledged), **_database(expected, created, submitted)}
    started = time.monotonic()
    counts["reviews_closed"] = close_reviews(Project.objects.get(slug=SLUG))
    counts |= _export(expected)
    counts["closing_seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(counts))


def _replay(acknowledged: list[dict]):
    """What the database should hold: span id → (assignment, start, end, last label)."""
    expected: dict[int, tuple[int, int, int, str]] = {}
    submitted = set()
    created = Counter()
    for write in acknowledged:
        if write["write"] == "create":
            created[write["span"]] += 1
            expected[write["span"]] = (
                write["assignment"],
                write["start"],
                write["end"],
                write["label"],
            )
        elif write["write"] == "relabel":
            assignment, start, end, _ = expected[write["span"]]
            expected[write["span"]] = (assignment, start, end, write["label"])
        elif write["write"] == "delete":
            expected.pop(write["span"], None)
        elif write["write"] == "submit":
            submitted.add(write["assignment"])
    return expected, created, submitted


def _database(expected, created, submitted) -> dict:
    spans = Span.objects.filter(assignment__document__project__slug=SLUG)
    stored = dict(spans.values_list("pk", "label__key"))
    places = Counter(spans.values_list("assignment_id", "start", "end", "label_id"))
    not_submitted = submitted - set(
        Assignment.objects.filter(pk__in=submitted, status=Assignment.Status.SUBMITTED).values_list(
            "pk", flat=True
        )
    )
    return {
        "spans_expected": len(expected),
        "spans_stored": len(stored),
        "missing": sum(1 for span in expected if span not in stored),
        "wrong_label": sum(
            1 for span, (*_, label) in expected.items() if stored.get(span, label) != label
        ),
        "duplicated": sum(n - 1 for n in places.values() if n > 1)
        + sum(n - 1 for n in created.values() if n > 1),
        "unexpected": sum(1 for span in stored if span not in expected),
        "submissions_acknowledged": len(submitted),
        "submissions_lost": len(not_submitted),
    }


def close_reviews(project: Project) -> int:
    """Decide and finish every review the run left open; returns how many."""
    user, _ = get_user_model().objects.get_or_create(username=CLOSING_LEAD)
    membership_set(project=project, username=CLOSING_LEAD, role=Membership.Role.LEAD)
    open_reviews = list(
        Document.objects.ready_for_review(project)
        .exclude(review__status=Review.Status.DONE)
        .values_list("pk", flat=True)
    )
    with ThreadPoolExecutor(REVIEWERS) as pool:
        list(pool.map(lambda pk: _close(pk, user), open_reviews))
    return len(open_reviews)


def _close(document_id: int, lead) -> None:
    try:
        document = Document.objects.select_related("project").get(pk=document_id)
        state = review_state(document)
        version = state.version
        for index, group in enumerate(state.candidates.groups):
            if not state.is_resolved(group):
                review_decide(
                    document=document, lead=lead, version=version, action="reject", group=index
                )
                version += 1
        review_finish(document=document, lead=lead, version=version)
    finally:
        connection.close()


def _export(expected) -> dict:
    project = Project.objects.get(slug=SLUG)
    pseudonyms = annotator_pseudonyms(project)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layers.jsonl"
        gold_export(project=project, format="layers", path=path, include_auto_accepted=True)
        found = Counter()
        exported = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            exported.add(record["id"])
            for name, spans in record["annotations"].items():
                found.update((record["id"], name, s["start"], s["end"], s["label"]) for s in spans)
    assignments = {
        pk: (document, annotator, status)
        for pk, document, annotator, status in Assignment.objects.filter(
            document__project=project
        ).values_list("pk", "document_id", "annotator_id", "status")
    }
    wanted = Counter()
    still_open = awaiting_others = 0
    for assignment, start, end, label in expected.values():
        document, annotator, status = assignments[assignment]
        if status != Assignment.Status.SUBMITTED:
            still_open += 1
        elif document not in exported:
            awaiting_others += 1
        else:
            wanted[(document, pseudonyms[annotator], start, end, label)] += 1
    return {
        "documents_exported": len(exported),
        "export_spans_checked": sum(wanted.values()),
        "export_missing": sum(1 for key in wanted if key not in found),
        "export_duplicated": sum(n - 1 for n in found.values() if n > 1),
        "export_unexpected": sum(1 for key in found if key not in wanted),
        "not_exportable_assignment_open": still_open,
        "not_exportable_document_incomplete": awaiting_others,
    }


if __name__ == "__main__":
    main(sys.argv[1])
