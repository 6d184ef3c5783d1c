"""How the API's token authentication appears in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "wayhome.api.auth.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token issued on /api/clients/: wh_<prefix>_<secret>.",
        }


_ERROR = {
    "type": "object",
    "description": (
        "'detail' for a refusal; for invalid input, field name → list of messages "
        "(nested the same way for nested input)."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {},
}
_ETAG = {
    "description": "The record's version: send it back in If-Match to update it.",
    "schema": {"type": "string"},
}
_REFUSALS = {
    "401": "No token, or a token that is unknown, expired or revoked.",
    "403": "The client's role (or acting user) lacks the capability.",
}


def add_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Document the answers every operation may give besides success, so a client (and
    the schema fuzzing in tests/api) knows them: refusals, 404 for a record not
    visible, 400 for invalid input, 412/428 for updates without a current ETag."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = dict(_REFUSALS)
            codes["400"] = "Invalid input: messages by field; nothing was written."
            if "{uuid}" in path:
                codes["404"] = "No such record among those this client may see."
            takes_if_match = any(
                p.get("in") == "header" and p.get("name") == "If-Match"
                for p in operation.get("parameters", [])
            )
            if method in ("put", "patch", "delete") or takes_if_match:
                codes["412"] = "The record changed since the ETag given in If-Match."
                codes["428"] = "If-Match is missing."
            for code, text in codes.items():
                responses.setdefault(code, {"description": text, "content": ref})
            for param in operation.get("parameters", []):
                if param.get("in") == "path" and param.get("name") == "uuid":
                    param["schema"] = {"type": "string", "format": "uuid"}
            if "{uuid}" in path or method == "post":
                for code in ("200", "201"):
                    if code in responses and "content" in responses[code]:
                        responses[code].setdefault("headers", {})["ETag"] = _ETAG
    return result
