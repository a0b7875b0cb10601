"""Make the OpenAPI schema say what the API really does, so clients and fuzzers can trust it.

drf-spectacular documents the success responses; this hook adds the error responses every
operation can give, and closes request bodies (additionalProperties: false) because the
inputs refuse unknown fields.
"""

ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}
ERROR = {"content": {"application/json": {"schema": ERROR_SCHEMA}}}
REASONS = {
    "400": "Invalid input: the body names each field and what is wrong with it.",
    "401": "Not authenticated.",
    "403": "Authenticated, but this role may not do this.",
    "404": "No such object, or not one the caller may see.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "409": "The assignment is closed, or a precondition is not met.",
    "415": "Unsupported media type: send JSON.",
}


def declare_errors_and_strict_bodies(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = {
        "type": "object",
        "description": "`detail` for a general error, or the failing fields with their messages.",
        "additionalProperties": True,
    }
    for name, schema in components.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "405", "406"]
            if method in ("post", "put", "patch"):
                codes += ["409", "415"]
            if method == "delete":
                codes += ["409"]
            for code in codes:
                if code in responses:
                    _or_error(responses[code])
                else:
                    responses[code] = {"description": REASONS[code], **ERROR}
    return result


def _or_error(response):
    """An error code the operation documents with its own body (the import's report) can still
    carry the general error: input refused before the operation's own checks ran."""
    for media_type in response.get("content", {}).values():
        schema = media_type.get("schema")
        if schema is not None and schema != ERROR_SCHEMA:
            media_type["schema"] = {"anyOf": [schema, ERROR_SCHEMA]}
