from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from ..permissions import authenticated, documents_visible_to, project_member, projects_visible_to

DOCUMENTS_PER_PAGE = 50


@authenticated
def home(request):
    projects = projects_visible_to(request.user).annotate(document_count=Count("documents"))
    return render(request, "projects/home.html", {"projects": projects})


@project_member
def project_detail(request, project):
    documents = documents_visible_to(request.user, project).only(
        "id", "title", "external_id", "created_at"
    )
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/detail.html",
        {"project": project, "page": page, "is_lead": request.project_role == "lead"},
    )
