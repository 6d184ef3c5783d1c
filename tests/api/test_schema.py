"""The OpenAPI schema: served by the application, and published in docs/ up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_published_schema_is_the_served_one() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    current = OpenApiYamlRenderer().render(schema, renderer_context={})  # type: ignore[no-untyped-call]
    assert PUBLISHED.read_bytes() == current, (
        "docs/openapi.yaml is stale: run "
        "DJANGO_SETTINGS_MODULE=wayhome.config.settings.test wayhome spectacular "
        "--file docs/openapi.yaml --validate"
    )


@pytest.mark.django_db
def test_the_schema_is_served_without_a_token_and_names_every_resource() -> None:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    paths = set(served["paths"])
    for resource in ("persons", "names", "relationships", "reports", "whereabouts"):
        assert f"/api/v1/{resource}/{{uuid}}/" in paths
    assert "/api/v1/tracing-requests/{uuid}/transition/" in paths
    assert served["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    put = served["paths"]["/api/v1/persons/{uuid}/"]["put"]
    assert {p["name"] for p in put["parameters"]} >= {"If-Match"}
    assert {"412", "428"} <= set(put["responses"])
