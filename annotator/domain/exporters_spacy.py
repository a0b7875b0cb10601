"""The gold as a spaCy DocBin (`.spacy`), loadable with `spacy.tokens.DocBin().from_disk`.

spaCy is an optional extra (`pip install annotator[spacy]`), imported only here. Each Doc is
cut by the one tokenizer (`tokenize`), with the white space between tokens kept as spaCy keeps
it, so `doc.text` is the document text exactly and the entities' character offsets are the
gold's. A span that overlaps another cannot be an entity; it is reported, as by the CoNLL writer.
"""

from collections.abc import Iterable

from .exporters import ExportDocument, Problem
from .tokenize import tokenize


def docbin_bytes(documents: Iterable[ExportDocument], problems: list[Problem]) -> bytes:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    vocab = Vocab()
    collection = DocBin(attrs=["ENT_IOB", "ENT_TYPE"], store_user_data=True)
    for document in documents:
        collection.add(_doc(vocab, document, problems))
    return collection.to_bytes()


def _doc(vocab, document: ExportDocument, problems: list[Problem]):
    from spacy.tokens import Doc

    words, spaces = _words(document.text)
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != document.text:  # would shift every entity after the difference
        raise ValueError(f"document {document.id}: spaCy's tokens do not rebuild its text")
    entities, taken = [], set()
    for span in sorted(document.spans, key=lambda s: (s.start - s.end, s.start, s.label)):
        entity = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
        tokens = set(range(entity.start, entity.end)) if entity is not None else set()
        if not tokens:
            problems.append(Problem(document.id, span, "covers no token: left out"))
        elif tokens & taken:
            problems.append(Problem(document.id, span, "overlaps another span: left out"))
        else:
            if (entity.start_char, entity.end_char) != (span.start, span.end):
                problems.append(
                    Problem(document.id, span, "does not end on token boundaries: widened to them")
                )
            taken |= tokens
            entities.append(entity)
    doc.ents = sorted(entities, key=lambda entity: entity.start)
    doc.user_data["id"] = document.id
    if document.external_id is not None:
        doc.user_data["external_id"] = document.external_id
    return doc


def _words(text: str) -> tuple[list[str], list[bool]]:
    """spaCy's words and trailing-space flags for the text: our tokens, with every stretch
    between two tokens other than one space made a token of its own, as spaCy does."""
    words: list[str] = []
    spaces: list[bool] = []
    cursor = 0
    for start, end in [*tokenize(text), (len(text), len(text))]:
        gap = text[cursor:start]
        if gap:
            if gap == " " and words:
                spaces[-1] = True
            else:
                if words and gap.startswith(" ") and not spaces[-1]:
                    spaces[-1], gap = True, gap[1:]
                words.append(gap)
                spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        cursor = end
    return words, spaces
