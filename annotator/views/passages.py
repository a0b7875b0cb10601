"""Shared passages for leads: which documents repeat which paragraphs."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ..permissions import project_lead
from ..services.passages import describe_clusters, project_clusters

PER_PAGE = 50


@project_lead
def passage_list(request, project):
    page = Paginator(project_clusters(project), PER_PAGE).get_page(request.GET.get("page"))
    describe_clusters(page.object_list)
    return render(request, "passages/list.html", {"project": project, "page": page})
