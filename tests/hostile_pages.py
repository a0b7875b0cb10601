"""The pages that show the hostile world's text, and a reader of pages that finds what a
payload would have made of one had it escaped its text."""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.urls import reverse

from annotator.models import Assignment

from .hostile import EXPORT_FILE_NAME, MARKDOWN_LITERAL, MARKER, PLAIN, HostileWorld


@dataclass(frozen=True)
class Shown:
    user: object  # who opens the page
    url: str
    texts: list[str]  # what it must show literally
    fragment: bool = False  # a part htmx fetches into a page, asked for with HX-Request


PAGE_NAMES = (
    "home (annotator)",
    "home (lead)",
    "project (lead)",
    "project (annotator)",
    "document",
    "import",
    "agreement",
    "review queue",
    "review (in progress, names shown)",
    "review (done)",
    "annotate",
    "annotate: span list",
    "annotate: span attributes",
    "feedback",
    "export",
    "export list",
    "members",
    "audit log",
    "admin: projects",
    "admin: project and its labels",
    "admin: documents",
    "admin: document",
    "admin: spans",
    "admin: span",
    "admin: skipped assignment",
    "admin: users",
)


def hostile_pages(world: HostileWorld) -> dict[str, Shown]:
    """Every page that shows the world's hostile text: who opens it, where, what it must show
    literally."""
    project, slug = world.project, world.project.slug
    names = (world.project.name, world.project.description)
    label_texts = [
        text for label in project.labels.all() for text in (label.name, label.description)
    ]
    adjudicated, in_review = world.adjudicated, world.in_review
    open_assignment = world.open_assignment
    span = open_assignment.spans.get(label__key="XSS_SCRIPT")
    users = (world.first.username, world.second.username)
    document_titles = list(project.documents.values_list("title", flat=True))
    metadata = [*adjudicated.metadata, *adjudicated.metadata.values()]
    lead, first, admin = world.lead, world.first, world.admin
    return {
        "home (annotator)": Shown(first, reverse("home"), [*names, first.username]),
        "home (lead)": Shown(lead, reverse("home"), [*names, lead.username]),
        "project (lead)": Shown(
            lead,
            reverse("project_detail", args=[slug]),
            [*names, *document_titles, *(PLAIN[name] for name in MARKDOWN_LITERAL)],
        ),
        "project (annotator)": Shown(first, reverse("project_detail", args=[slug]), [*names]),
        "document": Shown(
            lead,
            reverse("document_detail", args=[slug, adjudicated.pk]),
            [adjudicated.title, adjudicated.external_id, adjudicated.text, *metadata],
        ),
        "import": Shown(lead, reverse("document_import", args=[slug]), [project.name]),
        "agreement": Shown(lead, reverse("agreement_dashboard", args=[slug]), [*users]),
        "review queue": Shown(
            lead,
            reverse("review_queue", args=[slug]),
            [adjudicated.title, in_review.title, *(label.name for label in project.labels.all())],
        ),
        "review (in progress, names shown)": Shown(
            lead,
            reverse("review_document", args=[slug, in_review.pk]) + "?names=1",
            [
                in_review.title,
                in_review.text,
                *users,
                PLAIN["json_breakout"],
                PLAIN["script_close"],
            ],
        ),
        "review (done)": Shown(
            lead,
            reverse("review_document", args=[slug, adjudicated.pk]),
            [adjudicated.title, adjudicated.text],
        ),
        "annotate": Shown(
            first,
            reverse("annotate_document", args=[slug, open_assignment.pk]),
            [open_assignment.document.title, open_assignment.document.text, *label_texts],
        ),
        "annotate: span list": Shown(
            first,
            reverse("annotate_document", args=[slug, open_assignment.pk]),
            [open_assignment.document.title],  # its first line, which a span covers
            fragment=True,
        ),
        "annotate: span attributes": Shown(
            first,
            reverse("span_attributes", args=[slug, open_assignment.pk, span.pk]),
            [*PLAIN.values()],
            fragment=True,
        ),
        "feedback": Shown(
            first,
            reverse("assignment_feedback", args=[slug, world.feedback_assignment.pk]),
            [adjudicated.title, adjudicated.text.split("\n", 1)[0]],
        ),
        "export": Shown(
            lead,
            reverse("export_gold", args=[slug]),
            [EXPORT_FILE_NAME, PLAIN["svg_onload"], PLAIN["img_onerror"], lead.username],
        ),
        "export list": Shown(
            lead, reverse("export_list", args=[slug]), [EXPORT_FILE_NAME], fragment=True
        ),
        "members": Shown(
            lead,
            reverse("member_list", args=[slug]),
            [*users, lead.username, PLAIN["iframe_srcdoc"]],
        ),
        "audit log": Shown(lead, reverse("audit_log", args=[slug]), [lead.username]),
        "admin: projects": Shown(admin, "/admin/annotator/project/", [project.name]),
        "admin: project and its labels": Shown(
            admin,
            f"/admin/annotator/project/{project.pk}/change/",
            [project.name, project.description, project.guidelines, *label_texts],
        ),
        "admin: documents": Shown(admin, "/admin/annotator/document/", document_titles[:20]),
        "admin: document": Shown(
            admin,
            f"/admin/annotator/document/{adjudicated.pk}/change/",
            # Read-only text is shown with <br> for its line breaks.
            [adjudicated.title, adjudicated.external_id, *adjudicated.text.splitlines()],
        ),
        "admin: spans": Shown(admin, "/admin/annotator/span/", [first.username]),
        "admin: span": Shown(admin, f"/admin/annotator/span/{span.pk}/change/", [first.username]),
        "admin: skipped assignment": Shown(
            admin,
            f"/admin/annotator/assignment/{_skipped(world).pk}/change/",
            [PLAIN["raw_text_close"], world.second.username],
        ),
        "admin: users": Shown(admin, "/admin/auth/user/", [*users, lead.username]),
    }


def _skipped(world) -> Assignment:
    return Assignment.objects.get(annotator=world.second, status=Assignment.Status.SKIPPED)


# ---- Reading a page as a browser would -------------------------------------------------------

EXECUTABLE_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data")


class PageScan(HTMLParser):
    """Parses a page and collects what a payload would have made of it had it escaped its
    text: elements with event handlers, inline scripts, javascript: URLs, htmx attributes
    that point at the marker. `text` is the page's text as a browser would show it, `values`
    the values of its form fields and buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.chunks: list[str] = []
        self.values: list[str] = []
        self.data_attributes: list[dict[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in EXECUTABLE_URL_ATTRIBUTES and _is_script_url(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            if (name.startswith("hx-") or name.startswith("data-hx-")) and MARKER in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("srcdoc", "style") and MARKER in value:
                self.found.append(f"<{tag} {name}={value!r}>")
        attributes = dict(attrs)
        if "value" in attributes:
            self.values.append(attributes["value"] or "")
        data = {name: value or "" for name, value in attrs if name.startswith("data-")}
        if data:
            self.data_attributes.append(data)
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            if "src" not in attributes and kind not in ("application/json", "importmap"):
                self._in_script = True
                self.found.append("<script> without src")
        if tag in ("iframe", "embed", "object", "base"):
            self.found.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if not self._in_script:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def shows(self, text: str) -> bool:
        return text in self.text or any(text in value for value in self.values)


def _is_script_url(value: str) -> bool:
    squeezed = "".join(ch for ch in value if ch > " ").lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser
