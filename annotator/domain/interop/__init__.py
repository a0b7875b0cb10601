"""Readers of other tools' exports: Label Studio's JSON, doccano's JSONL (one file, or a zip
of one file per annotator), brat standoff and CoNLL IOB2. Each yields `DocumentRecord`s with
their annotators' spans (`Annotation`s) or `RowError`s naming file and line, like the readers
of our own formats; which of them the spans become (nothing, annotators' work, or gold) is the
import service's choice, not theirs.
"""
