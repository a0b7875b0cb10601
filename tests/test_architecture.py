"""House rules that code review would otherwise have to catch."""

import ast
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from annotator.permissions import POLICY_ATTRIBUTE, SELF_GUARDED_NAMESPACES

DOMAIN = Path(settings.BASE_DIR) / "annotator" / "domain"


def imported_modules(path: Path, package: str = "annotator.domain") -> set[str]:
    """Absolute names of the modules a file imports; relative imports are resolved against
    `package`, the file's own package."""
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            modules.add(".".join([*base, node.module] if node.module else base))
    return modules


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(settings.BASE_DIR).parent.parts)


def test_domain_modules_import_neither_django_nor_the_models():
    offenders = {}
    for path in sorted(DOMAIN.rglob("*.py")):
        bad = {
            module
            for module in imported_modules(path, package_of(path))
            if module.split(".")[0] in {"django", "rest_framework"}
            or (module.startswith("annotator.") and not module.startswith("annotator.domain"))
        }
        if bad:
            offenders[str(path.relative_to(DOMAIN))] = sorted(bad)
    assert offenders == {}
    assert len(list(DOMAIN.rglob("*.py"))) >= 10, "the check must see the domain modules"


def test_the_import_check_resolves_relative_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from django.db import models\nfrom ..models import Span\nfrom . import f1\n")
    assert imported_modules(sample, "annotator.domain.agreement") == {
        "django.db",
        "annotator.domain.models",
        "annotator.domain.agreement",
    }
    assert imported_modules(sample, "annotator.domain") == {
        "django.db",
        "annotator.models",
        "annotator.domain",
    }


def walk(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(
                pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern)
            )
        elif isinstance(pattern, URLPattern):
            yield namespace, prefix + str(pattern.pattern), pattern.callback


def test_every_view_declares_a_permission_policy():
    undeclared = [
        route
        for namespace, route, view in walk(get_resolver().url_patterns)
        if namespace not in SELF_GUARDED_NAMESPACES and not hasattr(view, POLICY_ATTRIBUTE)
    ]
    assert undeclared == []
    routes = [route for _, route, _ in walk(get_resolver().url_patterns)]
    assert "projects/<slug:slug>/" in routes, "the walk must reach the app's views"


def test_only_the_login_and_invitation_pages_are_public():
    # Nothing else lets someone without an account in: there is no sign-up page.
    public = [
        route
        for namespace, route, view in walk(get_resolver().url_patterns)
        if namespace not in SELF_GUARDED_NAMESPACES
        and not is_api_view(view)
        and (
            getattr(view, POLICY_ATTRIBUTE, None) == "public"
            or getattr(view, "login_required", True) is False
        )
    ]
    assert public == ["login/", "invite/<str:token>/"]


def is_api_view(view) -> bool:
    return hasattr(view, "cls") and issubclass(view.cls, APIView)


def test_every_api_view_names_its_permission_classes():
    api_views = [view for _, _, view in walk(get_resolver().url_patterns) if is_api_view(view)]
    assert len(api_views) > 10, "the walk must reach the API"
    for view in api_views:
        classes = view.cls.permission_classes
        assert classes, view.cls.__name__
        assert AllowAny not in classes, view.cls.__name__
        assert getattr(view, POLICY_ATTRIBUTE).startswith("api: "), view.cls.__name__
