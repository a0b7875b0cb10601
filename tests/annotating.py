"""Annotated documents for tests, made through the services as annotators make them."""

import io

from annotator.services import (
    assignment_next,
    assignment_submit,
    document_import,
    review_decide,
    review_finish,
    review_state,
    span_create,
)


def import_texts(project, texts) -> list:
    """Import the texts as documents of the project; returns all its documents, oldest first."""
    files = [(f"d{number}.txt", io.BytesIO(text.encode())) for number, text in enumerate(texts)]
    document_import(project=project, files=files)
    return list(project.documents.order_by("id"))


def phrase_at(document, phrase) -> tuple[int, int]:
    start = document.text.index(phrase)
    return start, start + len(phrase)


def mark(project, assignment, marks) -> None:
    """Add spans to the assignment: each mark is (label key, phrase) or (key, phrase,
    attributes), the span covering the phrase's first occurrence."""
    for key, phrase, *attributes in marks:
        start, end = phrase_at(assignment.document, phrase)
        span_create(
            assignment=assignment,
            label=project.labels.get(key=key),
            start=start,
            end=end,
            attributes=attributes[0] if attributes else None,
        )


def annotate(project, user, marks, *, commit=None, submit=True):
    """The user's next assignment with these marks, submitted unless told otherwise.

    `commit` is pytest-django's django_capture_on_commit_callbacks: the test database never
    commits, so what a submission asks for on commit (the agreement refresh) runs as at the end
    of a request."""
    assignment = assignment_next(project=project, annotator=user)
    mark(project, assignment, marks)
    if not submit:
        return assignment
    if commit is None:
        return assignment_submit(assignment=assignment)
    with commit(execute=True):
        return assignment_submit(assignment=assignment)


# The example most agreement and review tests share: a numbered report, and three ways of
# marking it, as (label key, the phrase it covers).
REPORT = "Report {}: Russia struck Idlib and Aleppo; 3 people were killed."
FULL = (("ACTOR", "Russia"), ("LOCATION", "Idlib"), ("LOCATION", "Aleppo"))
# Against FULL: Idlib agrees; "Russia struck" only overlaps "Russia" (a boundary conflict);
# only FULL marks Aleppo. Exact: 1 matched, 3 unmatched, F1 0.4; overlap: 2 and 1, F1 0.8.
PARTIAL = (("ACTOR", "Russia struck"), ("LOCATION", "Idlib"))
# Against FULL: Idlib is an ACTOR here (a label conflict). Exact and overlap F1 0.667.
RELABELLED = (("ACTOR", "Russia"), ("ACTOR", "Idlib"), ("LOCATION", "Aleppo"))
PLACES = (("LOCATION", "Idlib"), ("LOCATION", "Aleppo"))  # no actor at all


def add_reports(project, count) -> list:
    """`count` new reports, numbered on from those already in the project; returns them."""
    first = project.documents.count()
    return import_texts(project, [REPORT.format(i) for i in range(first, first + count)])[first:]


def adjudicate(document, lead):
    """Accept the first variant of every conflict, then finish the review."""
    state = review_state(document)
    version = state.version
    for index, _ in enumerate(state.candidates.groups):
        review_decide(
            document=document, lead=lead, version=version, action="accept", group=index, variant=0
        )
        version += 1
    review_finish(document=document, lead=lead, version=version)
