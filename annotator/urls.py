from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from . import permissions
from .views import documents, projects

urlpatterns = [
    path(
        "login/",
        permissions.public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", permissions.authenticated(auth_views.LogoutView.as_view()), name="logout"),
    path("", projects.home, name="home"),
    path("projects/<slug:slug>/", projects.project_detail, name="project_detail"),
    path(
        "projects/<slug:slug>/documents/import/",
        documents.document_import,
        name="document_import",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/",
        documents.document_detail,
        name="document_detail",
    ),
    path("admin/", admin.site.urls),
]
