"""drf-spectacular hooks: only the resources in the document, the two authentication schemes,
problem+json error responses and the API-Version header on every operation."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

EXCLUDED = {"/api/v1/openapi.json", "/api/v1/docs"}


def only_api_paths(endpoints, **kwargs):
    return [e for e in endpoints if e[0].startswith("/api/v1/") and e[0] not in EXCLUDED and "^" not in e[0]]


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Access token (client credentials) van de gemeentelijke identity provider.",
        }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "API-sleutel per organisatie.",
        }


PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}

ERRORS = {
    "400": "Ongeldige invoer",
    "401": "Niet geauthenticeerd",
    "403": "Geen toestemming (scope)",
    "404": "Niet gevonden of geen toegang",
    "405": "Methode niet toegestaan",
    "406": "Niet aanvaardbaar",
    "413": "Verzoek te groot",
    "415": "Mediatype niet ondersteund",
    "429": "Te veel verzoeken",
    "500": "Interne fout",
}


def problem_responses(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    components.setdefault("headers", {})["API-Version"] = {
        "description": "Volledige versie van de API (semver).",
        "schema": {"type": "string", "example": result["info"]["version"]},
    }
    components["headers"]["Retry-After"] = {
        "description": "Seconden tot een nieuw verzoek kan.",
        "schema": {"type": "integer"},
    }
    version_header = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                response.setdefault("headers", {}).update(version_header)
            for code, title in ERRORS.items():
                headers = dict(version_header)
                if code == "429":
                    headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
                responses.setdefault(
                    code,
                    {
                        "description": title,
                        "headers": headers,
                        "content": {
                            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    },
                )
    return result
