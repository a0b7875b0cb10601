"""The agreement dashboard for leads: stored figures only, never a computation over the project."""

import csv

from django.contrib.auth import get_user_model
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import charts
from ..domain.agreement import RELIABLE, TENTATIVE, DocumentTallies
from ..models import DocumentAgreement, ProjectAgreement
from ..permissions import project_lead
from ..services import agreement_refresh_request, documents_by_agreement

WORST_DOCUMENTS = 10
KIND_NAMES = {
    "label": "Same span, other label",
    "boundary": "Same label, other boundaries",
    "both": "Other label and boundaries",
    "missing": "Marked by one only",
}


@project_lead
def agreement_dashboard(request, project):
    agreement = ProjectAgreement.objects.filter(project=project).first()
    figures = agreement.figures if agreement and agreement.computed_at else None
    context = {"project": project, "agreement": agreement, "figures": figures}
    if figures and figures["documents"]:
        names = _names(figures)
        context |= {
            "pending": DocumentAgreement.objects.filter(
                project=project, computed_at__gt=agreement.computed_at
            ).count(),
            "verdict": _verdict(figures["unitizing"]["alpha"]),
            "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE},
            "labels": [
                {**row, "verdict": _verdict(row["unitizing_alpha"])} for row in figures["labels"]
            ],
            "annotators": [
                {**row, "name": names[row["annotator"]]} for row in figures["annotators"]
            ],
            "pairs": [
                {**row, "first_name": names[row["first"]], "second_name": names[row["second"]]}
                for row in figures["pairs"]
            ],
            "pair_chart": _pair_heatmap(figures, names),
            "confusion_chart": _confusion_heatmap(figures["confusion"]),
            # In KIND_NAMES' order: PostgreSQL's jsonb keeps no key order.
            "kinds": [
                {"kind": kind, "name": name, "count": figures["disagreements"].get(kind, 0)}
                for kind, name in KIND_NAMES.items()
            ],
            "worst": documents_by_agreement(project)[:WORST_DOCUMENTS],
        }
        context |= _distribution_charts(figures, context["kinds"])
    return render(request, "agreement/dashboard.html", context)


@project_lead
def agreement_status(request, project):
    """The refresh's progress, polled by the dashboard while a refresh is queued or running."""
    agreement = ProjectAgreement.objects.filter(project=project).first()
    response = render(
        request, "agreement/_status.html", {"project": project, "agreement": agreement}
    )
    if request.GET.get("was") == "busy" and not _busy(agreement):
        response["HX-Refresh"] = "true"  # done: show the new figures
    return response


@require_POST
@project_lead
def agreement_refresh(request, project):
    agreement_refresh_request(project, force=True)
    return redirect("agreement_dashboard", slug=project.slug)


@project_lead
def agreement_documents_csv(request, project):
    """One row per document with figures, least agreement first."""
    rows = documents_by_agreement(project).values_list(
        "document_id",
        "document__external_id",
        "document__title",
        "annotators",
        "score",
        "submitted_at",
        "tallies",
    )

    def lines():
        writer = csv.writer(_Echo())
        yield writer.writerow(
            [
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
        )
        for (
            document_id,
            external_id,
            title,
            annotators,
            score,
            submitted_at,
            tallies,
        ) in rows.iterator():
            document = DocumentTallies.from_json(tallies)
            matched, unmatched = document.totals("overlap")
            overlap = 2 * matched / (2 * matched + unmatched) if matched or unmatched else 1.0
            kinds = document.disagreements()
            yield writer.writerow(
                [
                    document_id,
                    _text_cell(external_id or ""),
                    _text_cell(title),
                    annotators,
                    f"{score:.6f}",
                    f"{overlap:.6f}",
                    kinds["label"],
                    kinds["boundary"],
                    kinds["both"],
                    kinds["missing"],
                    submitted_at.isoformat(),
                ]
            )

    return _csv_response(StreamingHttpResponse(lines()), f"{project.slug}-agreement-documents.csv")


@project_lead
def agreement_pairs_csv(request, project):
    agreement = ProjectAgreement.objects.filter(project=project).first()
    figures = (
        agreement.figures
        if agreement and agreement.computed_at
        else {"pairs": [], "annotators": []}
    )
    names = _names(figures)
    response = _csv_response(HttpResponse(), f"{project.slug}-agreement-pairs.csv")
    writer = csv.writer(response)
    writer.writerow(["first", "second", "documents", "exact_f1", "overlap_f1", "cohen_kappa"])
    for pair in figures["pairs"]:
        writer.writerow(
            [
                _text_cell(names[pair["first"]]),
                _text_cell(names[pair["second"]]),
                pair["documents"],
                _cell(pair["exact_f1"]),
                _cell(pair["overlap_f1"]),
                _cell(pair["cohen_kappa"]),
            ]
        )
    return response


class _Echo:
    """A file-like object whose write returns the line: csv.writer for a streamed response."""

    def write(self, value: str) -> str:
        return value


def _csv_response(response, filename: str):
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _text_cell(value: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula: a title such as
    "=HYPERLINK(...)" in an imported article, or a username, must stay text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def _busy(agreement: ProjectAgreement | None) -> bool:
    return bool(agreement and (agreement.refresh_queued or agreement.refresh_running))


def _names(figures: dict) -> dict:
    ids = {row["annotator"] for row in figures["annotators"]}
    found = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
    return {pk: found.get(pk, f"(deleted user {pk})") for pk in ids}


def _verdict(alpha: float | None) -> str:
    if alpha is None:
        return "not defined"
    if alpha >= RELIABLE:
        return "reliable"
    return "tentative" if alpha >= TENTATIVE else "unreliable"


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pair_heatmap(figures: dict, names: dict):
    people = sorted(names, key=names.get)
    scores = {}
    for pair in figures["pairs"]:
        scores[pair["first"], pair["second"]] = scores[pair["second"], pair["first"]] = pair[
            "exact_f1"
        ]
    cells = [
        [
            (None, "")
            if first == second
            else (scores.get((first, second)), _shown(scores.get((first, second))))
            for second in people
        ]
        for first in people
    ]
    labels = [names[person] for person in people]
    return charts.heatmap(labels, labels, cells, title="Exact span F1 between annotators")


def _confusion_heatmap(confusion: dict):
    values, matrix = confusion["values"], confusion["matrix"]
    cells = []
    for row in matrix:
        total = sum(row) or 1
        cells.append([(count / total, f"{count:,.0f}") for count in row])
    names = ["no span" if value == "O" else value for value in values]
    return charts.heatmap(names, names, cells, title="Token labels, one annotator against another")


def _distribution_charts(figures: dict, kinds: list[dict]) -> dict:
    bins = len(figures["histogram"])
    histogram = [
        charts.Bar(f"{i / bins:.1f}–{(i + 1) / bins:.1f}", count, f"{count:,}")
        for i, count in enumerate(figures["histogram"])
    ]
    return {
        "histogram": [(bar.label, bar.value) for bar in histogram],
        "histogram_chart": charts.bar_chart(histogram, title="Documents by exact span F1"),
        "kinds_chart": charts.bar_chart(
            [charts.Bar(kind["name"], kind["count"], f"{kind['count']:,}") for kind in kinds],
            title="Disagreements by kind",
        ),
        "weeks_chart": charts.line_chart(
            [
                (week["week"][5:], week["exact_f1"], _shown(week["exact_f1"]))
                for week in figures["weeks"]
            ],
            title="Exact span F1 by week of submission",
        ),
    }
