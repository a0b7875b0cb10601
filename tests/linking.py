"""A document two annotators marked and linked, for the tests of links in review and export."""

from annotator.services import assignment_submit, link_create

from .annotating import annotate, import_texts

TEXT = "Russian jets killed 16 civilians in Idlib, the SOHR said."

# Both mark the figure, its place and its perpetrator; only A marks the source (a conflict).
# Both link the figure to Idlib (agreed); only A links it to Russian and to SOHR.
A_MARKS = (
    ("CASUALTY_FIGURE", "16 civilians", {"outcome": "killed"}),
    ("LOCATION", "Idlib"),
    ("ACTOR", "Russian"),
    ("ACTOR", "SOHR"),
)
B_MARKS = A_MARKS[:3]
A_LINKS = (
    ("16 civilians", "located_at", "Idlib"),
    ("16 civilians", "perpetrator", "Russian"),
    ("16 civilians", "attributed_to", "SOHR"),
)
B_LINKS = A_LINKS[:1]


def annotate_linked(project, user, marks, links, commit):
    assignment = annotate(project, user, marks, submit=False)
    spans = {
        assignment.document.text[span.start : span.end]: span for span in assignment.spans.all()
    }
    for source, kind, target in links:
        link_create(assignment=assignment, source=spans[source], target=spans[target], kind=kind)
    with commit(execute=True):
        assignment_submit(assignment=assignment)


def linked_document(project, pair, commit):
    (document,) = import_texts(project, [TEXT])[-1:]
    annotate_linked(project, pair[0], A_MARKS, A_LINKS, commit)
    annotate_linked(project, pair[1], B_MARKS, B_LINKS, commit)
    return document


def gold_id(document, phrase) -> int:
    start = document.text.index(phrase)
    return document.gold_spans.get(start=start, end=start + len(phrase)).pk
