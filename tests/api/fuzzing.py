"""What the API fuzz tests (test_fuzz.py) share: the schema, the world they fuzz, how cases
are aimed at real objects, and the custom checks.

Schemathesis would mostly generate ids and slugs that name nothing, so every request would be
a 404 and prove little. `aim_at_real_objects` swaps in real ones most of the time, from a
generator seeded by the generated case itself, so a run (and a shrunk example) is reproducible.
"""

import contextlib
import copy
import io
import json
import random
import zlib
from dataclasses import dataclass, field

import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from annotator.models import Assignment, AuditEvent, Document, Membership, Span
from annotator.services import document_import, membership_set, project_create, span_create

REPORT = "Pro-Assad forces killed at least 16 civilians 👩‍👧 in Idlib Province on Monday."
SECOND = "Russian airstrikes wounded 4 people near Maarat al-Numan, the White Helmets said."
THIRD = "No casualties were reported in Aleppo on Tuesday, officials said."
ELSEWHERE = "Shelling displaced 300 families from Jisr al-Shughur."

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


# The schema ----------------------------------------------------------------------------------


def served_schema() -> dict:
    """The OpenAPI schema /api/schema/ serves, as JSON. Generated here rather than fetched:
    pytest collects the fuzz tests before there is a database to log in with."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


def load_schema(settings: dict) -> schemathesis.BaseSchema:
    """The schema, bound to the WSGI application: requests are served in process, in the
    test's own thread and database transaction."""
    loaded = schemathesis.openapi.from_dict(
        served_schema(), config=schemathesis.Config.from_dict(settings)
    )
    loaded.app = get_wsgi_application()
    return loaded


# The world -----------------------------------------------------------------------------------


@dataclass
class World:
    """Credentials by role, and the real objects the fuzzed requests are aimed at."""

    headers: dict[str, dict[str, str]]
    # Whole sets of path values that name real objects, consistent or deliberately mixed.
    targets: list[dict[str, object]]
    usernames: list[str]
    # Attribute names by label key, as the project's labels define them.
    attributes: dict[str, list[str]]
    # Each annotator's open assignment and one of its spans.
    own: dict[str, dict[str, object]] = field(default_factory=dict)
    # Each annotator's assignment and span ids (as strings, as they appear in a path).
    owned: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    @property
    def all_attribute_names(self) -> list[str]:
        return sorted({name for names in self.attributes.values() for name in names})


def _span(assignment, key: str, phrase: str, attributes=None):
    text = assignment.document.text
    start = text.index(phrase)
    return span_create(
        assignment=assignment,
        label=assignment.document.project.labels.get(key=key),
        start=start,
        end=start + len(phrase),
        attributes=attributes,
    )


def _target(project, assignment=None, span=None, document=None) -> dict[str, object]:
    """Path values naming these objects; a parameter with no value here keeps the generated."""
    values = {"slug": project.slug, "assignment_id": assignment, "span_id": span}
    values["document_id"] = document
    return {name: getattr(value, "id", value) for name, value in values.items() if value}


def _documents(project, *texts):
    files = [(f"report{n}.txt", io.BytesIO(text.encode())) for n, text in enumerate(texts)]
    report = document_import(project=project, files=files)
    assert report.committed and not report.errors, report
    return [project.documents.get(text=text) for text in texts]


def build_world(*, project, lead, annotator, outsider, make_user) -> World:
    """A lead; annotators A and B on the same document, each with spans; A with a submitted
    document too; an outsider in no project; and a second project none of them is in."""
    second = make_user("annotator2")
    membership_set(project=project, username=second.username, role=Membership.Role.ANNOTATOR)
    shared, submitted, unassigned = _documents(project, REPORT, SECOND, THIRD)

    mine = Assignment.objects.create(document=shared, annotator=annotator)
    figure = _span(
        mine,
        "CASUALTY_FIGURE",
        "at least 16 civilians",
        {"outcome": "killed", "qualifier": "at_least", "value": 16},
    )
    place = _span(mine, "LOCATION", "Idlib Province")
    done = Assignment.objects.create(document=submitted, annotator=annotator)
    done_span = _span(done, "ACTOR", "White Helmets")
    done.status = Assignment.Status.SUBMITTED
    done.save()
    theirs = Assignment.objects.create(document=shared, annotator=second)
    their_span = _span(theirs, "ACTOR", "Pro-Assad forces")

    elsewhere = project_create(slug="elsewhere", name="Elsewhere")
    stranger = make_user("stranger")
    membership_set(project=elsewhere, username="stranger", role=Membership.Role.ANNOTATOR)
    (far_doc,) = _documents(elsewhere, ELSEWHERE)
    far = Assignment.objects.create(document=far_doc, annotator=stranger)
    far_span = _span(far, "CASUALTY_FIGURE", "300 families")

    users = {
        "lead": lead,
        "annotator": annotator,
        "second_annotator": second,
        "outsider": outsider,
    }
    headers = {"anonymous": {}}
    for role, user in users.items():
        headers[role] = {"Authorization": f"Token {Token.objects.create(user=user).key}"}

    return World(
        headers=headers,
        targets=[
            _target(project, mine, figure, shared),
            _target(project, mine, place, shared),
            _target(project, done, done_span, submitted),
            _target(project, theirs, their_span),
            # Real ids in the wrong combination: another's span under my assignment, and so on.
            _target(project, mine, their_span, unassigned),
            _target(project, theirs, figure),
            _target(project, far, far_span, far_doc),
            _target(elsewhere, far, far_span, far_doc),
            _target(elsewhere, mine, figure, shared),
        ],
        usernames=[*(user.username for user in users.values()), stranger.username],
        attributes={
            label.key: [spec.name for spec in label.attribute_specs]
            for label in project.labels.all()
        },
        own={
            "annotator": _target(project, mine, place),
            "second_annotator": _target(project, theirs, their_span),
        },
        owned={
            "annotator": {
                "assignment_id": {str(mine.id), str(done.id)},
                "span_id": {str(figure.id), str(place.id), str(done_span.id)},
            },
            "second_annotator": {
                "assignment_id": {str(theirs.id)},
                "span_id": {str(their_span.id)},
            },
        },
    )


# Aiming generated cases at real objects ------------------------------------------------------

# What no database may be handed: PostgreSQL refuses both, SQLite would store them.
NUL, SURROGATES = "\x00", ("\ud800", "\udcff")


def _fingerprint(case) -> int:
    """A number fixed by what was generated, so a replayed or shrunk example aims the same."""
    generated = [case.method, case.path_parameters, case.query, case.body]
    return zlib.crc32(json.dumps(generated, sort_keys=True, default=_plain).encode())


def _plain(value):
    """JSON for what is not: bytes as hex, a file as its bytes, "no body" by its class name
    (never a `repr`, which may hold a memory address and so differ from run to run)."""
    if isinstance(value, bytes):
        return value.hex()
    return getattr(value, "data", type(value).__name__)


def aim_at_real_objects(case, world: World) -> dict:
    """Most of the time, swap generated values for ones that name real objects, so requests
    get past the 404s and the 400s for unknown labels; the rest of the time keep what was
    generated. Now and then put a character no database may store into the body.

    Containers are replaced, not edited in place: schemathesis then re-decides whether the case
    is still negative (a negative slug swapped for a real one no longer is).

    Returns extra arguments for `call`: a lone surrogate cannot be in the case itself (the
    schema validator refuses such text), so it goes into the JSON sent instead, escaped."""
    rng = random.Random(_fingerprint(case))
    if case.path_parameters and rng.random() < 0.8:
        target = rng.choice(world.targets)
        case.path_parameters = {
            name: target.get(name, value) for name, value in case.path_parameters.items()
        }
    if not isinstance(case.body, dict):
        return {}
    body = _aim_body(copy.deepcopy(case.body), world, rng)
    unstorable = rng.choice([NUL, *SURROGATES]) if rng.random() < 0.2 else None
    if unstorable == NUL:
        body = _with_character(body, NUL, rng)
    if body != case.body:
        case.body = body
    if unstorable not in SURROGATES or case.media_type != "application/json":
        return {}
    sent = json.dumps(_with_character(body, unstorable, rng))  # ASCII: "\udXXX" escapes
    return {"data": sent.encode()}


def _aim_body(body: dict, world: World, rng: random.Random) -> dict:
    if isinstance(body.get("label"), str) and rng.random() < 0.75:
        body["label"] = rng.choice(sorted(world.attributes))
    if isinstance(body.get("username"), str) and rng.random() < 0.7:
        body["username"] = rng.choice(world.usernames)
    if _is_int(body.get("start")) and _is_int(body.get("end")) and rng.random() < 0.6:
        # Within the first 28 code points of every text, where annotator A has no span yet.
        body["start"] = rng.randrange(0, 20)
        body["end"] = body["start"] + rng.randrange(1, 9)
    attributes = body.get("attributes")
    if isinstance(attributes, dict) and attributes and rng.random() < 0.6:
        label = body.get("label")
        names = world.attributes.get(label, []) if isinstance(label, str) else []
        names = names or world.all_attribute_names
        body["attributes"] = {rng.choice(names): value for value in attributes.values()}
    documents = body.get("documents")
    if isinstance(documents, list) and rng.random() < 0.6:
        body["documents"] = [_as_document(item) for item in documents]
    return body


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_document(item):
    """A generated object made into something like a document: its strings make the text."""
    if not isinstance(item, dict):
        return item
    strings = [*item, *(value for value in item.values() if isinstance(value, str))]
    document = {"text": " ".join(strings) or "An empty report"}
    for value in item.values():
        if isinstance(value, dict):
            document["meta"] = value
        elif isinstance(value, str):
            document["title"] = value
        elif _is_int(value):
            document["external_id"] = value
    return document


def _with_character(value, character: str, rng: random.Random):
    """`value` with `character` added to one of its strings (keys included), if it has any."""
    if isinstance(value, str):
        return value + character
    if isinstance(value, list) and value:
        chosen = rng.randrange(len(value))
        return [
            _with_character(item, character, rng) if index == chosen else item
            for index, item in enumerate(value)
        ]
    if isinstance(value, dict) and value:
        chosen = rng.choice(list(value))
        if rng.random() < 0.3:
            return {(key + character if key == chosen else key): v for key, v in value.items()}
        return {
            key: _with_character(item, character, rng) if key == chosen else item
            for key, item in value.items()
        }
    return value


def aim_unlinked_at_own_objects(case, parent, parent_response, own: dict) -> None:
    """For a stateful step: path values the previous step's response or path did not supply
    (schemathesis's links for this API carry only some of them) name the owner's own objects,
    so the step reads something real; values a link supplied are kept, as the built-in
    object-level authorization check replays exactly those."""
    linked = set()
    if parent is not None:
        linked = {str(value) for value in parent.path_parameters.values()}
        if parent_response is not None and parent_response.content:
            with contextlib.suppress(ValueError):  # not JSON: nothing to link from
                linked |= _scalars(parent_response.json())
    case.path_parameters = {
        name: value if str(value) in linked else own.get(name, value)
        for name, value in case.path_parameters.items()
    }


def _scalars(body) -> set[str]:
    if isinstance(body, dict):
        return {found for item in body.values() for found in _scalars(item)}
    if isinstance(body, list):
        return {found for item in body for found in _scalars(item)}
    return set() if body is None or isinstance(body, bool) else {str(body)}


# Custom checks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ownership:
    """Requests sent with the owner's credentials naming these ids must be a 404 with the
    peer's credentials."""

    peer: dict[str, str]
    ids: dict[str, set[str]]


# Keyed by the owner's Authorization header; filled by the test's fixture.
OWNERSHIP: dict[str, Ownership] = {}
# What the database held before the write being checked; set by the test.
BEFORE: dict[str, tuple | None] = {}


@schemathesis.check
def another_annotator_gets_404(ctx, response, case):
    """A successful GET of a URL holding an annotator's assignment or span id, replayed with
    another annotator's token, is a 404: nobody sees another's work, nor learns it exists."""
    if case.method.upper() != "GET" or not 200 <= response.status_code < 300:
        return None
    ownership = OWNERSHIP.get(response.request.headers.get("Authorization", ""))
    if ownership is None:
        return None
    values = case.path_parameters or {}
    if not any(str(values.get(name)) in ids for name, ids in ownership.ids.items()):
        return None
    replayed = case.derive().call(headers=ownership.peer)
    if replayed.status_code != 404:
        raise AssertionError(
            f"GET {case.formatted_path} succeeded for its owner and gave "
            f"{replayed.status_code} to another annotator, not 404:\n{replayed.text[:500]}"
        )
    return True


def snapshot() -> tuple:
    """Everything a request could change, to compare before and after it."""
    return tuple(
        list(model.objects.order_by("pk").values_list())
        for model in (Span, Assignment, Document, Membership, Token, AuditEvent)
    )


@schemathesis.check
def refusal_changes_nothing(ctx, response, case):
    """A write the API refuses (4xx) leaves every object as it was: no half-done change."""
    if not 400 <= response.status_code < 500 or BEFORE.get("state") is None:
        return None
    if snapshot() != BEFORE["state"]:
        raise AssertionError(f"The API answered {response.status_code} but changed the data")
    return True
