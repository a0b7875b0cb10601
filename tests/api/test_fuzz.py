"""Fuzz the whole API in process with schemathesis, once per role.

Every operation of the served OpenAPI schema gets the coverage phase's boundary and negative
cases and Hypothesis-generated ones, sent through the WSGI application inside the test's
transaction, with a lead's, annotator A's, annotator B's or an outsider's token, or none.
Most cases are aimed at real objects (`aim_at_real_objects`), and each runs in a savepoint that
is rolled back, so every example sees the same world. Derandomized: CI runs the same cases.

Checks on every response:
- schemathesis: not_a_server_error, status_code_conformance, content_type_conformance,
  response_schema_conformance, negative_data_rejection, ignored_auth (the request replayed
  without and with a bad token must be refused);
- another_annotator_gets_404: a GET of A's assignment or span that succeeds for A is a 404
  for B (and the other way round);
- refusal_changes_nothing: a refused write leaves the data as it was.
A stateful run per annotator adds schemathesis's own object_level_authorization check.
"""

import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    object_level_authorization,
    response_schema_conformance,
    status_code_conformance,
)

from .fuzzing import (
    BEFORE,
    OWNERSHIP,
    WRITES,
    Ownership,
    aim_at_real_objects,
    aim_unlinked_at_own_objects,
    another_annotator_gets_404,
    build_world,
    load_schema,
    refusal_changes_nothing,
    served_schema,
    snapshot,
)

MEMBERS = ["lead", "annotator", "second_annotator"]
NO_ACCESS = ["outsider", "anonymous"]
ANNOTATORS = ("annotator", "second_annotator")

CHECKS = [
    not_a_server_error,
    refusal_changes_nothing,  # before any check that sends requests of its own
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
    another_annotator_gets_404,
]

schema = load_schema({"generation": {"mode": "all", "deterministic": True}})

HYPOTHESIS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture
def in_process_requests():
    """Requests through the WSGI handler share the test's connection and transaction: as
    Django's test client does, keep the request signals from closing that connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(project, lead, annotator, outsider, make_user, in_process_requests):
    world = build_world(
        project=project, lead=lead, annotator=annotator, outsider=outsider, make_user=make_user
    )
    for owner, peer in (ANNOTATORS, ANNOTATORS[::-1]):
        OWNERSHIP[world.headers[owner]["Authorization"]] = Ownership(
            peer=world.headers[peer], ids=world.owned[owner]
        )
    yield world
    OWNERSHIP.clear()
    BEFORE.clear()


def fuzz(case, world, role):
    sent = aim_at_real_objects(case, world)
    with transaction.atomic():
        # Reads are many and cheap to leave unchecked here; every write is compared.
        BEFORE["state"] = snapshot() if case.method.upper() in WRITES else None
        case.call_and_validate(headers=world.headers[role], checks=CHECKS, **sent)
        transaction.set_rollback(True)


@schema.parametrize()
@pytest.mark.parametrize("role", MEMBERS)
@settings(HYPOTHESIS, max_examples=30)
def test_members(case, world, role):
    fuzz(case, world, role)


@schema.parametrize()
@pytest.mark.parametrize("role", NO_ACCESS)
@settings(HYPOTHESIS, max_examples=5)
def test_no_access(case, world, role):
    """Every request is refused before it reaches an object: a few generated cases suffice."""
    fuzz(case, world, role)


@pytest.mark.parametrize("owner", ANNOTATORS)
def test_stateful_object_level_authorization(owner, world, tmp_path):
    """Schemathesis's own object_level_authorization check: scenarios of linked requests by
    the owner (list, next, spans, ...); each GET of an object a previous step returned is
    replayed with the other annotator's token, which must not get it."""
    peer = ANNOTATORS[1 - ANNOTATORS.index(owner)]
    users = [
        {"name": role, "fixedHeaders": [{"name": "Authorization", "value": header}]}
        for role in (owner, peer)
        for header in [world.headers[role]["Authorization"]]
    ]
    wfc = tmp_path / "auth.json"
    wfc.write_text(json.dumps({"auth": users}))
    stateful = load_schema(
        {
            "generation": {"mode": "positive", "deterministic": True},
            "auth": {"wfc": {"path": str(wfc), "user": owner, "peers": [owner, peer]}},
        }
    ).include(path_regex=r"^/api/projects/(\{slug\}/(next|assignments)/.*)?$")
    own = world.own[owner]

    class Scenarios(stateful.as_state_machine()):
        def setup(self):
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            super().setup()

        def teardown(self):
            super().teardown()
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def before_call(self, case):
            parent = self.recorder.find_parent(case_id=case.id)
            response = self.recorder.find_response(case_id=parent.id) if parent else None
            aim_unlinked_at_own_objects(case, parent, response, own)
            BEFORE["state"] = snapshot() if case.method.upper() in WRITES else None

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                checks=[*CHECKS, object_level_authorization],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Scenarios.run(
        settings=settings(
            HYPOTHESIS,
            max_examples=25,
            stateful_step_count=6,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_the_fuzzed_schema_is_the_served_one(client, lead):
    client.force_login(lead)
    response = client.get(reverse("api_schema"), HTTP_ACCEPT="application/json")
    assert response.json() == served_schema()
