"""Hostile text for the XSS tests: the corpus in fixtures/hostile/strings.json, and a project
built from it through the services, as its users would build it.

Every payload that would run calls `alert(window.__xss=1)` or requests a `/__xss/` URL, so a
test sees it run whether or not a Content-Security-Policy stops it.
"""

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from annotator.domain.labels import AttributeSpec, LabelSpec
from annotator.models import Assignment, Document, Export, Membership, Project
from annotator.services import (
    REASONS,
    agreement_refresh,
    assignment_next,
    assignment_skip,
    assignment_submit,
    document_import,
    invitation_create,
    membership_set,
    project_create,
    review_decide,
    review_finish,
    review_state,
    span_create,
)
from annotator.services.export_jobs import export_request

from .conftest import PASSWORD

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile" / "strings.json"
MARKER = "__xss"


_CORPUS = json.loads(CORPUS.read_text(encoding="utf-8"))


def _by_name(kind: str) -> dict[str, str]:
    return {entry["name"]: entry["text"] for entry in _CORPUS[kind]}


PLAIN = _by_name("plain")  # shown as text wherever they go
MARKDOWN = _by_name("markdown")  # only for Markdown (guidelines): links, raw HTML
COLOURS = _by_name("colours")  # label colours the validator must refuse
UNSTORABLE = {entry["name"]: entry for entry in _CORPUS["unstorable"]}

# The payloads Markdown leaves as text, so the rendered guidelines show them literally.
MARKDOWN_LITERAL = ("django_template", "zero_width", "bidi_override")

SLUG = "hostile"
# The payloads the users are named with: imports and the admin make accounts too.
FIRST, SECOND = "img_onerror", "csv_formula"
LEAD, ADMIN = "single_quote_attribute", "htmx_element"
# The payload each annotator's agreed span gives an attribute: a conflict the lead decides.
ATTRIBUTES = {
    FIRST: {"kind": PLAIN["json_breakout"], "remark": PLAIN["single_quote_attribute"]},
    SECOND: {"kind": PLAIN["script_close"], "remark": PLAIN["double_quote_attribute"]},
}
EXPORT_FILE_NAME = PLAIN["double_quote_attribute"] + ".jsonl"


def labels() -> tuple[LabelSpec, ...]:
    """Label names, descriptions, shortcuts and attribute values from the corpus; keys and
    attribute names are what their validators allow."""
    return (
        LabelSpec(
            key="XSS_SCRIPT",
            name=PLAIN["script_tag"],
            shortcut="<",
            colour="#c0392b",
            description=PLAIN["svg_onload"],
            attributes=(
                AttributeSpec(name="kind", kind="enum", values=tuple(PLAIN.values())),
                AttributeSpec(name="remark", kind="text"),
            ),
        ),
        LabelSpec(
            key="XSS_QUOTE",
            name=PLAIN["double_quote_attribute"],
            shortcut='"',
            colour="#1f6fb2",
            description=PLAIN["single_quote_attribute"],
        ),
        LabelSpec(
            key="XSS_RTL",
            name=PLAIN["arabic"],
            shortcut="'",
            colour="#7d3c98",
            description=PLAIN["bidi_override"] + " " + PLAIN["htmx_attribute"],
        ),
    )


def document_text(index: int, payload: str) -> str:
    """A report that opens with its own payload (its title too) and holds the whole corpus."""
    return (
        f"{payload}\nAt least {index + 2} civilians were killed in Idlib, the Observatory said.\n"
        + "\n".join(PLAIN.values())
        + "\n"
    )


def documents_file() -> bytes:
    lines = [
        json.dumps(
            {
                "title": payload,
                "external_id": payload,
                "text": document_text(index, payload),
                "metadata": {payload: PLAIN["script_close"], "source": PLAIN["javascript_url"]},
            }
        )
        for index, payload in enumerate(PLAIN.values())
    ]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class HostileWorld:
    project: Project
    lead: object
    admin: object
    first: object  # annotators, named with payloads
    second: object
    adjudicated: Document  # both annotators submitted it; the review is done
    in_review: Document  # both submitted it; one decision so far, attribute conflicts open
    open_assignment: Assignment  # the first annotator's, with spans, not submitted
    feedback_assignment: Assignment  # the first annotator's work on `adjudicated`
    export: Export


def _user(name: str, *, superuser: bool = False):
    users = get_user_model().objects
    if superuser:
        return users.create_superuser(username=PLAIN[name], password=PASSWORD, email="")
    return users.create_user(username=PLAIN[name], password=PASSWORD)


def _mark(project, assignment, annotator_key: str) -> None:
    text = assignment.document.text
    first_line = text.split("\n", 1)[0]
    marks = [("XSS_SCRIPT", first_line, ATTRIBUTES[annotator_key])]
    if annotator_key == FIRST:
        marks.append(("XSS_QUOTE", "Idlib", None))
    else:
        marks += [("XSS_RTL", "Idlib", None), ("XSS_QUOTE", "Observatory", None)]
    for key, phrase, attributes in marks:
        start = text.index(phrase)
        span_create(
            assignment=assignment,
            label=project.labels.get(key=key),
            start=start,
            end=start + len(phrase),
            attributes=attributes,
        )


def hostile_world(*, commit=None) -> HostileWorld:
    """The project, its members, documents, annotations, reviews and an export, every text a
    user can type or import taken from the corpus.

    `commit` is pytest-django's django_capture_on_commit_callbacks for tests in a transaction
    that never commits (what a submission or an export asks for on commit runs at each step's
    end); browser tests, whose transactions commit, leave it out."""

    def step():
        return commit(execute=True) if commit else contextlib.nullcontext()

    with step():
        project = project_create(
            slug=SLUG,
            name=f"{PLAIN['script_close']} {PLAIN['arabic']}",
            description=" · ".join(PLAIN.values()),
            guidelines="\n\n".join([*MARKDOWN.values(), *PLAIN.values()]),
            labels=labels(),
        )
        lead, admin = _user(LEAD), _user(ADMIN, superuser=True)
        first, second = _user(FIRST), _user(SECOND)
        membership_set(project=project, username=lead.username, role=Membership.Role.LEAD)
        for annotator in (first, second):
            membership_set(
                project=project, username=annotator.username, role=Membership.Role.ANNOTATOR
            )
        invitation_create(
            project=project,
            role=Membership.Role.ANNOTATOR,
            created_by=lead,
            note=PLAIN["iframe_srcdoc"],
        )
        report = document_import(
            project=project, files=[("hostile.jsonl", io.BytesIO(documents_file()))]
        )
        assert report.committed, report.errors
    done = {}
    for _ in range(2):
        for key, user in ((FIRST, first), (SECOND, second)):
            with step():
                assignment = assignment_next(project=project, annotator=user)
                _mark(project, assignment, key)
                assignment_submit(assignment=assignment)
            done.setdefault(key, []).append(assignment)
    with step():
        open_assignment = assignment_next(project=project, annotator=first)
        _mark(project, open_assignment, FIRST)
        skipped = assignment_next(project=project, annotator=second)
        assignment_skip(assignment=skipped, reason=PLAIN["raw_text_close"])
    adjudicated, in_review = done[FIRST][0].document, done[FIRST][1].document
    with step():
        _adjudicate(adjudicated, lead)
        review_decide(
            document=in_review,
            lead=lead,
            version=0,
            action="accept",
            group=0,
            variant=0,
            reason="other",
            note=PLAIN["js_string_breakout"],
        )
    with step():
        agreement_refresh(project)
        export = export_request(project=project, user=lead, format="jsonl")
    # A finished export's name and problems, and a failed one's error, as stored: the page
    # shows them whatever wrote them.
    Export.objects.filter(pk=export.pk).update(
        file_name=EXPORT_FILE_NAME, problems=[PLAIN["svg_onload"]], problem_count=1
    )
    Export.objects.create(
        project=project,
        requested_by=lead,
        format="conll",
        status=Export.Status.FAILED,
        error=PLAIN["img_onerror"],
    )
    export.refresh_from_db()
    return HostileWorld(
        project=project,
        lead=lead,
        admin=admin,
        first=first,
        second=second,
        adjudicated=adjudicated,
        in_review=in_review,
        open_assignment=open_assignment,
        feedback_assignment=done[FIRST][0],
        export=export,
    )


def _adjudicate(document, lead) -> None:
    """Every conflict decided for the first variant, each with a hostile note; then done."""
    state = review_state(document)
    version = state.version
    for index, _ in enumerate(state.candidates.groups):
        review_decide(
            document=document,
            lead=lead,
            version=version,
            action="accept",
            group=index,
            variant=0,
            reason=next(iter(REASONS)),
            note=PLAIN["script_tag"],
        )
        version += 1
    review_finish(document=document, lead=lead, version=version)
