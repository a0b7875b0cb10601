"""Make the OpenAPI schema say what the API really does, so clients and fuzzers can trust it.

drf-spectacular documents the success responses; this hook adds the error responses every
operation can give, and closes request bodies (additionalProperties: false) because the
inputs refuse unknown fields.
"""

ERROR = {
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
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
                responses.setdefault(code, {"description": REASONS[code], **ERROR})
    return result
