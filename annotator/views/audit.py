"""The project's audit log, for its leads: who imported, released, decided and exported what,
and when. Newest first, a page at a time from where the last one ended (keyset): a page costs
the same however long the log grows."""

import csv
import json
from dataclasses import dataclass

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from ..domain.exporters import FORMULA_STARTS
from ..models import AuditEvent
from ..models.audit import COMMAND_LINE
from ..permissions import project_lead

PER_PAGE = 50
CSV_COLUMNS = ("when_utc", "who", "action", "summary", "details")
# Entries whose summary links to the document's review.
REVIEW_ACTIONS = (
    AuditEvent.Action.REVIEW_DECIDED,
    AuditEvent.Action.REVIEW_FINISHED,
    AuditEvent.Action.REVIEW_REOPENED,
)


class AuditFilter(forms.Form):
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *AuditEvent.Action.choices]
    )
    person = forms.CharField(required=False, max_length=150)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("before") and cleaned.get("after"):
            raise forms.ValidationError("Ask for the page before an entry or after it, not both.")
        return cleaned


@dataclass
class LogPage:
    events: list[AuditEvent]
    newer: bool  # entries newer than the first one shown match the filter
    older: bool

    @property
    def first_pk(self) -> int | None:
        return self.events[0].pk if self.events else None

    @property
    def last_pk(self) -> int | None:
        return self.events[-1].pk if self.events else None


@project_lead
def audit_log(request, project):
    form = AuditFilter(request.GET or None)
    page, status = LogPage([], False, False), 400
    if not form.is_bound or form.is_valid():
        wanted = form.cleaned_data if form.is_bound else {}
        anchor = _anchor(project, form, wanted)
        if anchor is not False:
            page, status = _page(_filtered(project, wanted), anchor, wanted), 200
    people = project.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "audit/log.html",
        {
            "project": project,
            "form": form,
            "page": page,
            "people": [membership.user.get_username() for membership in people],
            "command_line": COMMAND_LINE,
            "review_actions": REVIEW_ACTIONS,
        },
        status=status,
    )


@project_lead
def audit_log_csv(request, project):
    """The whole log, or what the filter keeps, as CSV: streamed a batch of rows at a time."""
    form = AuditFilter(request.GET or None)
    if form.is_bound and not form.is_valid():
        refusal = "\n".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        return HttpResponse(refusal, status=400, content_type="text/plain; charset=utf-8")
    events = _filtered(project, form.cleaned_data if form.is_bound else {})

    def lines():
        writer = csv.writer(_Echo())
        yield writer.writerow(CSV_COLUMNS)
        for event in events.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    event.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    _text_cell(event.who),
                    event.action,
                    _text_cell(event.summary),
                    _text_cell(json.dumps(event.details, ensure_ascii=False, sort_keys=True)),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-audit-log.csv"'
    return response


def _filtered(project, wanted: dict):
    events = AuditEvent.objects.filter(project=project)
    if wanted.get("action"):
        events = events.filter(action=wanted["action"])
    if wanted.get("person"):
        events = events.by_person(wanted["person"])
    return events


def _anchor(project, form, wanted: dict) -> AuditEvent | bool | None:
    """The entry the page starts after (or ends before); None for the newest page; False, with
    the form told why, for an entry this project's log does not have."""
    pk = wanted.get("before") or wanted.get("after")
    if not pk:
        return None
    anchor = AuditEvent.objects.filter(project=project, pk=pk).first()
    if anchor is None:
        field = "before" if wanted.get("before") else "after"
        form.add_error(field, "This log has no such entry: start again from the newest.")
        return False
    return anchor


def _page(events, anchor: AuditEvent | None, wanted: dict) -> LogPage:
    if anchor is None:
        shown = list(events[:PER_PAGE])
    elif wanted.get("before"):
        shown = list(events.older_than(anchor)[:PER_PAGE])
    else:
        shown = list(events.newer_than(anchor)[:PER_PAGE])[::-1]
    if not shown:
        return LogPage([], newer=anchor is not None, older=False)
    return LogPage(
        shown,
        newer=events.newer_than(shown[0]).exists(),
        older=events.older_than(shown[-1]).exists(),
    )


class _Echo:
    """A file whose write returns the line: csv.writer a row at a time, for streaming."""

    def write(self, value: str) -> str:
        return value


def _text_cell(value: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula: a file name such as
    "=HYPERLINK(...).txt" in the log must stay text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
