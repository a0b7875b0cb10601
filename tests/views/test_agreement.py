"""The leads' agreement dashboard: its figures, tables and charts, the CSV downloads, the
refresh button and the status line that polls while a refresh runs."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from annotator.models import Membership, ProjectAgreement

from ..annotating import FULL, PARTIAL, RELABELLED, add_reports
from ..annotating import annotate as annotate_next

# Over the three documents below (FULL against PARTIAL, FULL and RELABELLED):
# exact 6 matched, 5 unmatched: F1 12/17 = 0.706; overlap 7 and 3: F1 14/17 = 0.824.
# ACTOR exact 2 matched, 3 unmatched: 4/7 = 0.571; overlap 3 and 1: 6/7 = 0.857.
# LOCATION exact and overlap 4 matched, 2 unmatched: 8/10 = 0.800.

NO_FIGURES = "No document has two submitted annotations yet"
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


@pytest.fixture
def annotate(project, django_capture_on_commit_callbacks):
    """Mark the user's next document with the given spans and submit it. The test database
    never commits: the refresh a submission asks for on commit is run as a request's end would."""

    def mark_and_submit(user, marks):
        return annotate_next(project, user, marks, commit=django_capture_on_commit_callbacks)

    return mark_and_submit


@pytest.fixture
def alice_and_bob(members):
    return members(Membership.Role.ANNOTATOR, "alice", "bob")


@pytest.fixture
def disagreeing_work(project, alice_and_bob, annotate):
    """Three documents, each submitted by alice and bob: exact F1 0.4, 1.0 and 0.667."""
    documents = add_reports(project, 3)
    alice, bob = alice_and_bob
    for hers, his in ((FULL, PARTIAL), (FULL, FULL), (FULL, RELABELLED)):
        annotate(alice, hers)
        annotate(bob, his)
    return documents


def dashboard(client, project) -> str:
    response = client.get(reverse("agreement_dashboard", args=[project.slug]))
    assert response.status_code == 200
    return response.text


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', page).group(1)


def rows_after(page: str, text: str) -> list[list[str]]:
    """The body rows of the first table after the element whose text is `text`, each row as
    the text of its cells."""
    rest = page[page.index(f">{text}<") :]
    body = re.search(r"<tbody>(.*?)</tbody>", rest, re.DOTALL).group(1)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", "", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    ]


def svg_titled(page: str, title: str) -> str:
    return re.search(rf"<svg[^>]*><title>{title}</title>.*?</svg>", page, re.DOTALL).group(0)


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode())))


# The dashboard


def test_without_two_submissions_of_a_document_the_dashboard_says_so(
    client_for, project, lead, alice_and_bob, annotate
):
    add_reports(project, 1)
    annotate(alice_and_bob[0], FULL)  # one annotation only: nothing to compare yet

    page = dashboard(client_for(lead), project)

    assert NO_FIGURES in page
    assert 'data-figure="exact-f1"' not in page
    assert "<svg" not in page
    assert reverse("agreement_documents_csv", args=[project.slug]) not in page


def test_headline_gives_the_exact_and_overlap_span_f1_of_the_project(
    client_for, project, lead, disagreeing_work
):
    page = dashboard(client_for(lead), project)

    assert NO_FIGURES not in page
    assert figure(page, "exact-f1") == "0.706"
    assert figure(page, "overlap-f1") == "0.824"
    assert "Computed on 3 documents with two or more submitted annotations" in page


def test_table_by_label_gives_each_labels_f1_and_matched_spans(
    client_for, project, lead, disagreeing_work
):
    rows = rows_after(dashboard(client_for(lead), project), "By label")

    # Label, F1 exact, F1 overlap, matched spans (then alpha and its verdict).
    assert [row[:4] for row in rows] == [
        ["ACTOR", "0.571", "0.857", "2"],
        ["LOCATION", "0.800", "0.800", "4"],
    ]


def test_annotators_are_named_by_username_in_the_tables_and_the_heatmap(
    client_for, project, lead, alice_and_bob, disagreeing_work
):
    page = dashboard(client_for(lead), project)

    # Annotator, documents, precision, recall, F1 exact, F1 overlap. Alice marked 9 spans and
    # bob 8; 6 pairs agree exactly: alice's precision 6/9, recall 6/8, and bob's the reverse.
    assert rows_after(page, "By annotator") == [
        ["alice", "3", "0.667", "0.750", "0.706", "0.824"],
        ["bob", "3", "0.750", "0.667", "0.706", "0.824"],
    ]
    assert [row[:3] for row in rows_after(page, "Pairs of annotators")] == [
        ["alice · bob", "3", "0.706"]
    ]
    heatmap = svg_titled(page, "Exact span F1 between annotators")
    # Each name heads a column and a row; their cells carry the pair's F1.
    assert re.findall(r">(alice|bob)</text>", heatmap) == ["alice", "bob", "alice", "bob"]
    assert heatmap.count(">0.71</text>") == 2
    for user in alice_and_bob:
        assert f">{user.pk}</text>" not in heatmap


def test_least_agreement_lists_the_worst_documents_first_with_links_to_them(
    client_for, project, lead, disagreeing_work
):
    page = dashboard(client_for(lead), project)
    first, second, third = disagreeing_work

    # Document, annotators, F1 exact, disagreements.
    assert rows_after(page, "Least agreement") == [
        [first.title, "2", "0.400", "2"],
        [third.title, "2", "0.667", "1"],
        [second.title, "2", "1.000", "0"],
    ]
    table = page[page.index('id="worst-documents"') :]
    assert re.findall(r'<a href="([^"]+)"', table)[:3] == [
        reverse("document_detail", args=[project.slug, document.id])
        for document in (first, third, second)
    ]


def test_disagreements_are_counted_by_kind(client_for, project, lead, disagreeing_work):
    page = dashboard(client_for(lead), project)

    assert rows_after(page, "Disagreements") == [
        ["Same span, other label", "1"],
        ["Same label, other boundaries", "1"],
        ["Other label and boundaries", "0"],
        ["Marked by one only", "1"],
    ]


def test_undefined_figures_say_not_defined_and_never_nan(
    client_for, project, lead, alice_and_bob, annotate
):
    # Both annotators found nothing to mark: they agree completely on spans (F1 1.0, as the
    # pair table says too), but alpha has no units to compute from.
    add_reports(project, 1)
    for user in alice_and_bob:
        annotate(user, ())

    page = dashboard(client_for(lead), project)

    assert NO_FIGURES not in page
    assert figure(page, "exact-f1") == "1.000"
    assert figure(page, "unitizing-alpha") == "not defined"
    assert not NAN.findall(page)
    pairs = client_for(lead).get(reverse("agreement_pairs_csv", args=[project.slug]))
    [pair] = csv_rows(pairs)
    assert pair["cohen_kappa"] == ""  # undefined: an empty cell, not "nan"
    assert not NAN.findall(pairs.content.decode())


def test_disagreeing_work_shows_no_nan_anywhere(client_for, project, lead, disagreeing_work):
    assert not NAN.findall(dashboard(client_for(lead), project))


# CSV downloads


def test_documents_csv_has_one_row_per_document_with_its_f1_and_disagreements(
    client_for, project, lead, disagreeing_work
):
    response = client_for(lead).get(reverse("agreement_documents_csv", args=[project.slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="demo-agreement-documents.csv"'
    )
    rows = csv_rows(response)
    assert list(rows[0]) == [
        "document_id",
        "external_id",
        "title",
        "annotators",
        "exact_f1",
        "overlap_f1",
        "label",
        "boundary",
        "both",
        "missing",
        "submitted_at",
    ]
    first, second, third = disagreeing_work
    # Least agreement first, as on the dashboard.
    assert [
        (
            int(row["document_id"]),
            row["title"],
            row["exact_f1"],
            row["overlap_f1"],
            row["label"],
            row["boundary"],
            row["both"],
            row["missing"],
        )
        for row in rows
    ] == [
        (first.id, first.title, "0.400000", "0.800000", "0", "1", "0", "1"),
        (third.id, third.title, "0.666667", "0.666667", "1", "0", "0", "0"),
        (second.id, second.title, "1.000000", "1.000000", "0", "0", "0", "0"),
    ]


def test_pairs_csv_names_both_annotators(client_for, project, lead, disagreeing_work):
    response = client_for(lead).get(reverse("agreement_pairs_csv", args=[project.slug]))

    assert response["Content-Disposition"] == 'attachment; filename="demo-agreement-pairs.csv"'
    [pair] = csv_rows(response)
    assert (pair["first"], pair["second"], pair["documents"], pair["exact_f1"]) == (
        "alice",
        "bob",
        "3",
        "0.705882",
    )


# Refresh and its status


@pytest.fixture
def stale_figures(project, alice_and_bob, annotate):
    """Two documents submitted by alice and bob, but the figures still those of the first
    (exact F1 0.4), as if the refresh after the second had not run yet."""
    alice, bob = alice_and_bob
    add_reports(project, 2)
    annotate(alice, FULL)
    annotate(bob, PARTIAL)
    old = ProjectAgreement.objects.get(project=project)
    annotate(alice, FULL)
    annotate(bob, FULL)
    ProjectAgreement.objects.filter(project=project).update(
        figures=old.figures, computed_at=old.computed_at
    )


def test_refresh_redirects_to_the_dashboard_which_then_shows_fresh_figures(
    client_for, project, lead, stale_figures, django_capture_on_commit_callbacks
):
    client = client_for(lead)
    stale = dashboard(client, project)
    assert figure(stale, "exact-f1") == "0.400"
    assert "1 document submitted since these figures were computed" in stale

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreement_refresh", args=[project.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("agreement_dashboard", args=[project.slug])
    fresh = dashboard(client, project)
    # Both documents: 4 matched and 3 unmatched spans, F1 8/11.
    assert figure(fresh, "exact-f1") == "0.727"
    assert "submitted since these figures were computed" not in fresh


def test_refresh_runs_even_while_a_lost_refresh_still_looks_queued(
    client_for, project, lead, stale_figures, django_capture_on_commit_callbacks
):
    # Queued a moment ago, but its task is gone (a worker died): nothing else will run it.
    ProjectAgreement.objects.filter(project=project).update(
        refresh_queued=True, refresh_queued_at=timezone.now()
    )
    client = client_for(lead)
    assert "A refresh is queued" in dashboard(client, project)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agreement_refresh", args=[project.slug]))

    fresh = dashboard(client, project)
    assert figure(fresh, "exact-f1") == "0.727"
    assert "A refresh is queued" not in fresh


def set_refresh(project, **state):
    ProjectAgreement.objects.update_or_create(project=project, defaults=state)


def status(client, project, query=""):
    return client.get(reverse("agreement_status", args=[project.slug]) + query)


def test_status_asks_for_a_reload_once_the_refresh_it_watched_is_over(client_for, project, lead):
    client = client_for(lead)
    set_refresh(project, refresh_queued=True)
    assert "HX-Refresh" not in status(client, project, "?was=busy")
    set_refresh(project, refresh_queued=False, refresh_running=True)
    assert "HX-Refresh" not in status(client, project, "?was=busy")

    set_refresh(project, refresh_running=False)
    response = status(client, project, "?was=busy")

    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


def test_status_never_asks_for_a_reload_unless_it_watched_a_refresh(client_for, project, lead):
    set_refresh(project, refresh_queued=False, refresh_running=False)
    response = status(client_for(lead), project)
    assert response.status_code == 200
    assert "HX-Refresh" not in response


def test_status_shows_the_progress_of_a_running_refresh_and_keeps_polling(
    client_for, project, lead
):
    set_refresh(project, refresh_running=True, refresh_done=3, refresh_total=10)
    client = client_for(lead)

    for page in (status(client, project).text, dashboard(client, project)):
        assert "Refreshing: 3 of 10 documents added up" in page
        assert '<progress max="10" value="3">' in page
        polling = reverse("agreement_status", args=[project.slug]) + "?was=busy"
        assert f'hx-get="{polling}"' in page


def test_status_says_a_queued_refresh_will_replace_the_figures(client_for, project, lead):
    set_refresh(project, refresh_queued=True)
    page = status(client_for(lead), project).text
    assert "A refresh is queued" in page
    assert "<progress" not in page


def test_a_title_that_looks_like_a_formula_stays_text_in_the_csv(
    client_for, project, lead, alice_and_bob, annotate
):
    add_reports(project, 1)
    project.documents.update(title='=HYPERLINK("http://x")')
    for user in alice_and_bob:
        annotate(user, ())
    response = client_for(lead).get(reverse("agreement_documents_csv", args=[project.slug]))
    [row] = csv_rows(response)
    assert row["title"] == '\'=HYPERLINK("http://x")'
