"""The leads' export page: ask for the gold in a format, watch it being written, download it.

Exports run in the background (`services.export_jobs`), so a project of any size exports
without a request timing out; the page lists the past exports of the project.
"""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..permissions import project_lead
from ..services import ServiceError
from ..services.export_files import FORMATS
from ..services.export_jobs import export_delete, export_file_open, export_request
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
LISTED = 20


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(name, FORMAT_NAMES[name]) for name in FORMATS],
        initial="jsonl",
        widget=forms.RadioSelect,
    )
    include_auto_accepted = forms.BooleanField(
        required=False, label="Also documents every annotator agreed on (accepted without review)"
    )
    train = forms.FloatField(required=False, min_value=0, label="Train share")
    dev = forms.FloatField(required=False, min_value=0, label="Dev share")
    test = forms.FloatField(required=False, min_value=0, label="Test share")
    seed = forms.IntegerField(required=False, initial=0, min_value=0, label="Seed of the splits")

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
            export = export_request(
                project=project,
                user=request.user,
                format=form.cleaned_data["format"],
                include_auto_accepted=form.cleaned_data["include_auto_accepted"],
                ratios=form.ratios(),
                seed=form.cleaned_data["seed"] or 0,
            )
        except ServiceError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"Export {export.pk} ({export.format}) has started.")
            return redirect("export_gold", project.slug)
    counts = {
        "gold": gold_documents_count(project, ExportOptions()),
        "with_auto": gold_documents_count(project, ExportOptions(include_auto_accepted=True)),
    }
    return render(
        request,
        "exports/export.html",
        {
            "project": project,
            "form": form,
            "counts": counts,
            "error": error,
            "format_names": FORMAT_NAMES,
            **_listed(project),
        },
        status=400 if form.is_bound else 200,
    )


@project_lead
def export_list(request, project):
    """The list of past exports alone, polled by the page while one is running."""
    return render(
        request,
        "exports/_list.html",
        {"project": project, "format_names": FORMAT_NAMES, **_listed(project)},
    )


@project_lead
def export_file(request, project, export_id: int):
    export = get_object_or_404(project.exports.select_related("project"), pk=export_id)
    return export_file_response(export, actor=request.user)


def export_file_response(export, *, actor) -> FileResponse:
    """The export's file as a download (for the page and the API); 404 until it has one."""
    if not export.file:
        raise Http404("This export has no file: it is not done, or it failed.")
    content = export_file_open(export=export, actor=actor)
    return FileResponse(content, as_attachment=True, filename=export.file_name)


@require_POST
@project_lead
def export_remove(request, project, export_id: int):
    export_delete(get_object_or_404(project.exports, pk=export_id))
    messages.success(request, f"Export {export_id} is removed, with its file.")
    return redirect("export_gold", project.slug)


def _listed(project) -> dict:
    exports = list(project.exports.select_related("requested_by")[:LISTED])
    return {"exports": exports, "busy": any(export.busy for export in exports)}
