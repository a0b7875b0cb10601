"""A project with every kind of record a backup holds, made through the services, and what of
it a person can see: for comparing a project with its restored copy."""

import gzip
import hashlib
import io
import json

from annotator.models import (
    Assignment,
    Document,
    DocumentAgreement,
    GoldLink,
    GoldSpan,
    IgnoredRegion,
    Membership,
    Project,
    ProjectAgreement,
)
from annotator.services import (
    agreement_refresh,
    assignment_next,
    assignment_skip,
    assignment_submit,
    document_import,
    gazetteer_entry_save,
    link_create,
    membership_content_note_accept,
    project_set_suggestions,
    project_settings_update,
    review_decide,
    review_state,
)
from annotator.services.export_files import gold_export

from .annotating import adjudicate, annotate, mark, phrase_at

TEXT = "Report {}: Russia struck Idlib and Aleppo; 3 people were killed near Homs."
KILLED = {"outcome": "killed", "qualifier": "exact", "value": 3}
# Russia and Idlib agree; Aleppo is a label conflict; "3 people" only the first marked;
# "Homs" against "near Homs" is a boundary conflict.
A_MARKS = (
    ("ACTOR", "Russia"),
    ("LOCATION", "Idlib"),
    ("LOCATION", "Aleppo"),
    ("CASUALTY_FIGURE", "3 people", KILLED),
    ("LOCATION", "Homs"),
)
B_MARKS = (
    ("ACTOR", "Russia"),
    ("LOCATION", "Idlib"),
    ("ACTOR", "Aleppo"),
    ("LOCATION", "near Homs"),
)
CANONICAL = ("jsonl", "layers", "conll", "brat", "casualty")


def build(project, lead, annotators, commit) -> list[Document]:
    """Six documents: two adjudicated, one mid-review (a span accepted then removed, so its
    events name a gold span that no longer exists), one awaiting review, one with open and
    skipped work, one untouched."""
    a, b, c = annotators
    lines = [
        {
            "text": TEXT.format(number),
            "external_id": f"r{number}",
            "title": f"Report «{number}»",
            "meta": {"source": "test", "n": number},
        }
        for number in range(6)
    ]
    data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    document_import(project=project, files=[("reports.jsonl", io.BytesIO(data))])
    documents = list(project.documents.order_by("id"))
    # Regions marked ignored: on an adjudicated document (by the lead) and on an untouched one
    # (by nobody: a command, or an account since deleted), before the annotators
    # start, as agreement leaves them out.
    for document, words, by in ((documents[0], "Report 0", lead), (documents[5], "Homs.", None)):
        start, end = phrase_at(document, words)
        IgnoredRegion.objects.create(
            document=document, start=start, end=end, reason="boilerplate", created_by=by
        )
    for _ in range(4):
        # The first annotator links the figure to its place.
        work = annotate(project, a, A_MARKS, submit=False)
        spans = {work.document.text[s.start : s.end]: s for s in work.spans.all()}
        link_create(
            assignment=work, source=spans["3 people"], target=spans["Idlib"], kind="located_at"
        )
        with commit(execute=True):
            assignment_submit(assignment=work)
        annotate(project, b, B_MARKS, commit=commit)
    adjudicate(documents[0], lead)
    gold = {documents[0].text[s.start : s.end]: s for s in documents[0].gold_spans.all()}
    GoldLink.objects.create(
        review=documents[0].review,
        source=gold["3 people"],
        target=gold["Idlib"],
        kind="located_at",
        annotators=[a.pk],
    )
    _decide(documents[1], lead, "reject", group=0)
    start, end = phrase_at(documents[1], "struck")
    _decide(documents[1], lead, "add", start=start, end=end, label="ACTOR", note="a verb?")
    adjudicate(documents[1], lead)
    _decide(documents[2], lead, "accept", group=0, variant=1)
    added = GoldSpan.objects.filter(document=documents[2], decision="accepted").get()
    _decide(documents[2], lead, "remove", gold_span=added.pk)
    open_work = annotate(project, c, (("LOCATION", "Homs"),), submit=False)
    assert open_work.document == documents[4]
    assignment_skip(assignment=assignment_next(project=project, annotator=a), reason="unclear")
    mark(project, assignment_next(project=project, annotator=b), (("ACTOR", "Russia"),))
    labels = {label.key: label for label in project.labels.all()}
    gazetteer_entry_save(
        project=project,
        label=labels["ACTOR"],
        name="Russia",
        aliases=["Russian forces", "Moscow"],
        attributes={"actor_type": "foreign_state"},
    )
    gazetteer_entry_save(project=project, label=labels["LOCATION"], name="Homs")
    project_set_suggestions(project=project, enabled=False)
    project_settings_update(
        project=project,
        values={"content_note": "Reports of *killings*.", "break_reminder_minutes": 30},
    )
    membership_content_note_accept(project=project, user=a)
    agreement_refresh(project)
    return documents


def _decide(document, lead, action, **given):
    review_decide(
        document=document, lead=lead, version=review_state(document).version, action=action, **given
    )


def exports(project, folder) -> dict[str, bytes]:
    """The gold in every canonical format, as bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for format in CANONICAL:
        path = folder / f"gold.{format}"
        gold_export(project=project, format=format, path=path)
        files[format] = path.read_bytes()
    return files


def _gold(span) -> tuple:
    return (
        span.label.key,
        span.start,
        span.end,
        json.dumps(span.attributes, sort_keys=True),
        span.decision,
        span.note,
        span.decided_at and span.decided_at.isoformat(),
        span.decided_by and span.decided_by.username,
    )


def _event(event) -> tuple:
    return (
        event.action,
        event.start,
        event.end,
        event.summary,
        event.note,
        event.undone,
        event.at.isoformat(),
        event.lead and event.lead.username,
    )


def observed(slug: str) -> dict:
    """What leads and annotators see of the project, ids left out: each document's review
    (state, gold, history), its agreement, the project's figures, and each annotator's work
    and feedback."""
    project = Project.objects.get(slug=slug)
    documents = {}
    for document in project.documents.order_by("id"):
        state = review_state(document)
        documents[document.external_id] = {
            "status": state.status,
            "version": state.version,
            "open_groups": [(g.start, g.end) for g in state.open_groups],
            "gold": sorted(_gold(span) for span in state.gold),
            "events": [
                _event(event)
                for event in (state.review.events.order_by("id") if state.review else [])
            ],
            "links": [
                (link.kind, link.source.start, link.target.start, link.annotators)
                for link in GoldLink.objects.filter(review__document=document).select_related(
                    "source", "target"
                )
            ],
            "agreement": DocumentAgreement.objects.filter(document=document)
            .values_list("score", "annotators", "disagreements")
            .first(),
        }
    figures = ProjectAgreement.objects.get(project=project).figures
    work = {}
    assignments = (
        Assignment.objects.in_project(project)
        .select_related("annotator", "document")
        .order_by("annotator__username", "document__external_id")
    )
    for assignment in assignments:
        comparison = getattr(assignment, "gold_comparison", None)
        work.setdefault(assignment.annotator.username, []).append(
            {
                "document": assignment.document.external_id,
                "status": assignment.status,
                "assigned_at": assignment.assigned_at.isoformat(),
                "submitted_at": assignment.submitted_at and assignment.submitted_at.isoformat(),
                "spans": [
                    (s.label.key, s.start, s.end, s.attributes)
                    for s in assignment.spans.select_related("label").order_by("start", "end")
                ],
                "links": [
                    (link.kind, link.source.start, link.target.start)
                    for link in assignment.links.select_related("source", "target")
                ],
                "feedback": comparison
                and (comparison.matched, comparison.extra, comparison.missed),
            }
        )
    gazetteer = [
        (entry.label.key, entry.name, entry.aliases, entry.attributes)
        for entry in project.gazetteer.select_related("label")
    ]
    suggestions = (project.suggestions_enabled, gazetteer)
    ignored = [
        (
            region.document.external_id,
            region.start,
            region.end,
            region.reason,
            region.created_by and region.created_by.username,
            region.created_at.isoformat(),
        )
        for region in IgnoredRegion.objects.filter(document__project=project).select_related(
            "document", "created_by"
        )
    ]
    welfare = (
        project.content_note,
        project.break_reminder_minutes,
        sorted(
            (
                member.user.username,
                member.content_note_seen_at and member.content_note_seen_at.isoformat(),
            )
            for member in Membership.objects.filter(project=project).select_related("user")
        ),
    )
    return {
        "documents": documents,
        "figures": figures,
        "work": work,
        "suggestions": suggestions,
        "ignored": ignored,
        "welfare": welfare,
    }


def lines_of(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def rewritten(path, change, target) -> None:
    """Write to `target` the backup at `path` with its records (the lines between the header
    and the end record) passed through `change`, and a correct end record: a file whose only
    fault is what `change` did."""
    header, *records, end = lines_of(path)
    records = change(records)
    data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in [header, *records])
    end = {**end, "records": len(records), "sha256": hashlib.sha256(data.encode()).hexdigest()}
    with gzip.open(target, "wt", encoding="utf-8") as file:
        file.write(data + json.dumps(end) + "\n")
