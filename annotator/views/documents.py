from django.shortcuts import get_object_or_404, render

from ..forms import DocumentImportForm
from ..permissions import documents_visible_to, project_lead
from ..services import document_import as import_documents


@project_lead
def document_detail(request, project, document_id):
    document = get_object_or_404(documents_visible_to(request.user, project), pk=document_id)
    return render(request, "documents/detail.html", {"project": project, "document": document})


@project_lead
def document_import(request, project):
    report = None
    if request.method == "POST":
        form = DocumentImportForm(request.POST, request.FILES)
    else:
        form = DocumentImportForm()
    if form.is_bound and form.is_valid():
        report = import_documents(
            project=project,
            files=[(upload.name, upload.file) for upload in form.cleaned_data["files"]],
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        if report.committed:
            form = DocumentImportForm()
    status = 400 if report is not None and not report.committed else 200
    return render(
        request,
        "documents/import.html",
        {"project": project, "form": form, "report": report},
        status=status,
    )
