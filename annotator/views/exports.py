"""The leads' export page: the gold in a chosen format, as a download."""

import shutil
import tempfile
from pathlib import Path

from django import forms
from django.http import FileResponse
from django.shortcuts import render

from ..permissions import project_lead
from ..services import ServiceError
from ..services.export_files import FORMATS, export_download
from ..services.exports import ExportOptions, gold_documents_count

FORMAT_NAMES = {
    "jsonl": "JSONL: gold spans with provenance and agreement",
    "layers": "JSONL with each annotator's own spans too",
    "conll": "CoNLL-2003 IOB2",
    "spacy": "spaCy DocBin (.spacy)",
    "brat": "brat standoff (.zip of .txt and .ann)",
    "hf": "Hugging Face dataset (.zip: splits and a dataset card)",
    "casualty": "Casualty figures table (.csv)",
}


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[(name, FORMAT_NAMES[name]) for name in FORMATS])
    include_auto_accepted = forms.BooleanField(
        required=False, label="Also documents every annotator agreed on (accepted without review)"
    )
    train = forms.FloatField(required=False, min_value=0, label="Train share")
    dev = forms.FloatField(required=False, min_value=0, label="Dev share")
    test = forms.FloatField(required=False, min_value=0, label="Test share")
    seed = forms.IntegerField(required=False, initial=0, label="Seed of the splits")

    def ratios(self):
        shares = [self.cleaned_data[name] for name in ("train", "dev", "test")]
        if all(share is None for share in shares):
            return None
        return tuple(share or 0.0 for share in shares)


@project_lead
def export_gold(request, project):
    form = ExportForm(request.POST or None)
    error = None
    if form.is_valid():
        try:
            return _download(project, form)
        except ServiceError as refusal:
            error = refusal.message
    counts = {
        "gold": gold_documents_count(project, ExportOptions()),
        "with_auto": gold_documents_count(project, ExportOptions(include_auto_accepted=True)),
    }
    return render(
        request,
        "exports/export.html",
        {"project": project, "form": form, "counts": counts, "error": error},
        status=400 if form.is_bound else 200,
    )


def _download(project, form) -> FileResponse:
    folder = Path(tempfile.mkdtemp(prefix="export-"))
    try:
        path, name = export_download(
            project=project,
            format=form.cleaned_data["format"],
            folder=folder,
            include_auto_accepted=form.cleaned_data["include_auto_accepted"],
            ratios=form.ratios(),
            seed=form.cleaned_data["seed"] or 0,
        )
        # Opened before the folder goes: the file lives on, unnamed, until it is sent.
        response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return response
