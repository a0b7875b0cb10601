import html
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.views.static import serve as static_serve

from annotator.models import Document

from .test_projects import import_text


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_lead_sees_document_text_escaped_exactly(client_for, project, lead):
    text = "Title\r\n<script>alert('x')</script> 👩‍👧 قتل\n"
    document = import_text(project, text)
    response = client_for(lead).get(reverse("document_detail", args=[project.slug, document.id]))
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 👩‍👧 قتل" in response.text
    assert 'data-testid="document-text"' in response.text


def test_annotator_cannot_open_documents_outside_the_annotation_screen(
    client_for, project, annotator
):
    document = import_text(project, "Text")
    response = client_for(annotator).get(
        reverse("document_detail", args=[project.slug, document.id])
    )
    assert response.status_code == 403


def test_document_of_another_project_is_404(client_for, project, lead):
    from annotator.services import project_create

    other = project_create(slug="other", name="Other")
    document = import_text(other, "Elsewhere")
    response = client_for(lead).get(reverse("document_detail", args=[project.slug, document.id]))
    assert response.status_code == 404


def test_upload_imports_files_and_shows_the_report(client_for, project, lead):
    lines = b"\n".join(json.dumps({"text": f"doc {i}"}).encode() for i in range(3))
    response = client_for(lead).post(
        reverse("document_import", args=[project.slug]),
        {"files": [upload("a.jsonl", lines), upload("b.txt", b"Plain text")]},
    )
    assert response.status_code == 200
    assert "4 imported, 0 duplicates skipped, 0 rejected" in response.text
    assert Document.objects.filter(project=project).count() == 4


def test_upload_with_a_bad_row_imports_nothing_and_names_the_row(client_for, project, lead):
    data = b'{"text": "good"}\n{"text": 1}\n'
    response = client_for(lead).post(
        reverse("document_import", args=[project.slug]), {"files": [upload("a.jsonl", data)]}
    )
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert "a.jsonl:2: field &#x27;text&#x27; is required" in response.text
    assert Document.objects.count() == 0


def test_upload_with_skip_invalid_imports_the_good_rows(client_for, project, lead):
    data = b'{"text": "good"}\n{"text": 1}\n'
    response = client_for(lead).post(
        reverse("document_import", args=[project.slug]),
        {"files": [upload("a.jsonl", data)], "skip_invalid": "on"},
    )
    assert "1 imported, 0 duplicates skipped, 1 rejected" in response.text
    assert Document.objects.count() == 1


def test_upload_without_files_is_a_form_error(client_for, project, lead):
    response = client_for(lead).post(reverse("document_import", args=[project.slug]), {})
    assert response.status_code == 200
    assert "This field is required" in response.text


def test_annotator_cannot_import(client_for, project, annotator):
    response = client_for(annotator).post(
        reverse("document_import", args=[project.slug]), {"files": [upload("a.txt", b"x")]}
    )
    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_lead_sees_how_far_the_annotators_of_a_document_agree(
    client_for, project, lead, annotator, make_user, django_capture_on_commit_callbacks
):
    from annotator.models import Membership
    from annotator.services import (
        assignment_next,
        assignment_submit,
        membership_set,
        span_create,
    )

    document = import_text(project, "Russia struck Idlib and Aleppo.")
    other = make_user("annotator2")
    membership_set(project=project, username="annotator2", role=Membership.Role.ANNOTATOR)
    location = project.labels.get(key="LOCATION")
    for user, spans in ((annotator, [(14, 19), (24, 30)]), (other, [(14, 19)])):
        assignment = assignment_next(project=project, annotator=user)
        for start, end in spans:
            span_create(assignment=assignment, label=location, start=start, end=end)
        with django_capture_on_commit_callbacks(execute=True):
            assignment_submit(assignment=assignment)
    page = client_for(lead).get(reverse("document_detail", args=[project.slug, document.id]))
    section = page.text.split('data-testid="document-agreement"')[1].split("</dl>")[0]
    assert "2 submitted" in section
    # Idlib agreed, Aleppo marked by one only: F1 = 2·1 / (2·1 + 1).
    assert "0.667 exact, 0.667 overlapping" in section
    assert "<dt>Marked by one only</dt><dd>1</dd>" in section
    assert "<dt>Same label, other boundaries</dt><dd>0</dd>" in section


def test_document_with_one_annotation_shows_no_agreement(client_for, project, lead):
    document = import_text(project, "Russia struck Idlib and Aleppo.")
    page = client_for(lead).get(reverse("document_detail", args=[project.slug, document.id]))
    assert 'data-testid="document-agreement"' not in page.text


def test_a_lead_uploads_another_tools_export_as_annotators_work(
    client_for, project, lead, django_capture_on_commit_callbacks
):
    from django.conf import settings

    from annotator.models import Assignment

    sample = settings.BASE_DIR / "fixtures" / "interop" / "doccano-export-50.zip"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(
            reverse("document_import", args=[project.slug]),
            {"files": [upload(sample.name, sample.read_bytes())], "annotations": "annotators"},
        )
    assert response.status_code == 200
    assert "50 imported, 0 duplicates skipped, 0 rejected, with 100 annotations" in response.text
    submitted = Assignment.objects.filter(document__project=project, status="submitted")
    assert set(submitted.values_list("annotator__username", flat=True)) == {
        "imported-doccano-admin",
        "imported-doccano-annb",
    }
    queue = client_for(lead).get(reverse("review_queue", args=[project.slug]))
    assert queue.text.count('href="/projects/demo/review/') >= 25  # a page of the queue


def test_the_upload_page_offers_what_the_spans_become(client_for, project, lead):
    page = client_for(lead).get(reverse("document_import", args=[project.slug])).text
    assert 'value="annotators"' in page and 'value="gold"' in page and 'value="none"' in page


# Hostile uploads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("u16.txt", "قتل 16 مدنيا".encode("utf-16"), "the file is UTF-16"),
        ("ar.txt", "قتل 16 مدنيا في إدلب".encode("cp1256"), "it looks like Windows-1256, Arabic"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("n.jsonl", b'{"text": "a", "meta": {"x": NaN}}\n', "NaN is not a JSON number"),
    ],
)
def test_a_hostile_upload_is_refused_with_its_reason_and_imports_nothing(
    client_for, project, lead, name, data, reason
):
    response = client_for(lead).post(
        reverse("document_import", args=[project.slug]),
        {"files": [upload("good.txt", b"A good report."), upload(name, data)]},
    )
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert f"{name}:1: " in response.text and reason in html.unescape(response.text)
    assert Document.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused_by_its_size(client_for, project, lead, settings):
    settings.ANNOTATOR_MAX_IMPORT_BYTES = 1000
    response = client_for(lead).post(
        reverse("document_import", args=[project.slug]),
        {"files": [upload("big.txt", b"x" * 5000)]},
    )
    assert response.status_code == 400
    assert (
        "big.txt:1: the file is 5,000 bytes; an import file may be at most 1,000 bytes"
        in response.text
    )
    assert Document.objects.count() == 0


def test_a_file_name_with_markup_is_shown_escaped_and_stored_as_given(client_for, project, lead):
    name = "<img src=x onerror=alert(1)>.txt"
    response = client_for(lead).post(
        reverse("document_import", args=[project.slug]),
        {"files": [upload(name, b"\x00binary"), upload("../../x/evil<b>.txt", b"\xff\xfe")]},
    )
    assert "<img src=x" not in response.text and "<b>" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;.txt:1: binary file" in response.text
    assert "evil&lt;b&gt;.txt:1: the file is UTF-16" in response.text  # the base name only
    client_for(lead).post(
        reverse("document_import", args=[project.slug]), {"files": [upload(name, b"Text")]}
    )
    assert Document.objects.get().source_name == name


def test_no_upload_is_ever_stored_where_a_url_serves_it(
    client_for, project, lead, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # every upload goes through a temporary file
    served = [
        settings.MEDIA_ROOT,
        Path(settings.STATIC_ROOT),
        *map(Path, settings.STATICFILES_DIRS),
    ]
    before = {folder: snapshot(folder) for folder in served}
    name = "page<script>.txt"
    response = client_for(lead).post(
        reverse("document_import", args=[project.slug]),
        {"files": [upload(name, b"<script>alert(1)</script> uploaded text")]},
    )
    assert response.status_code == 200 and Document.objects.count() == 1
    assert {folder: snapshot(folder) for folder in served} == before
    assert settings.FILE_UPLOAD_TEMP_DIR is None or not any(
        Path(settings.FILE_UPLOAD_TEMP_DIR).is_relative_to(folder) for folder in served
    )
    assert not [p for p in url_patterns(get_resolver()) if p.callback is static_serve]
    for path in (f"/media/{name}", f"/static/{name}", f"/var/{name}", f"/{name}"):
        assert client_for(lead).get(path).status_code == 404


def snapshot(folder: Path) -> set[str]:
    return {str(path) for path in folder.rglob("*")} if folder.exists() else set()


def url_patterns(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern)
        else:
            yield pattern
