"""Cross-cutting HTTP behaviour."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers

# The JSON API's viewsets refuse NUL themselves; /api/clients/ and the rest are pages.
JSON_API_PREFIX = "/api/v1/"


class PrivateCacheMiddleware:
    """Pages shown to a logged-in user carry personal data: no cache may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class RefuseNulQueryMiddleware:
    """A page asked for with a NUL character in its query answers 400 (``400.html``)
    before any view reads it.

    PostgreSQL cannot compare text holding NUL: lists searched or filtered by such a
    parameter failed with a 500 (a crawl of every page found the aftercare files' and
    the disclosures' searches). Forms already refuse NUL in what they are sent; the query
    is read by views directly. The JSON API refuses it itself, after authentication and
    in its own JSON (``api.views.ScopedViewSet.initial``); the API clients' pages under
    /api/clients/ are pages like any other.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(JSON_API_PREFIX) and holding_nul(request.GET):
            raise BadRequest("a query parameter holds a NUL character")  # no value logged
        return self.get_response(request)


def holding_nul(query: QueryDict) -> list[str]:
    """The names of the parameters with a value holding a NUL character, sorted."""
    return sorted(name for name, values in query.lists() if any("\x00" in v for v in values))
