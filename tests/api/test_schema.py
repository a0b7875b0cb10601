from django.core.management import call_command
from django.urls import reverse


def test_schema_validates_as_openapi_3(tmp_path, db):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert text.startswith("openapi: 3")
    assert "/api/projects/{slug}/assignments/{assignment_id}/spans/" in text


def test_request_bodies_refuse_unknown_fields_in_the_schema(client, lead):
    client.force_login(lead)
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/json").json()
    span_input = schema["components"]["schemas"]["SpanCreateInputRequest"]
    assert span_input["additionalProperties"] is False
    responses = schema["paths"]["/api/projects/{slug}/assignments/{assignment_id}/spans/"]["post"][
        "responses"
    ]
    assert {"201", "400", "401", "403", "404", "409", "415"} <= set(responses)


def test_docs_are_served_from_our_own_static_files(client, lead):
    client.force_login(lead)
    page = client.get(reverse("api_docs")).text
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "https://" not in page
