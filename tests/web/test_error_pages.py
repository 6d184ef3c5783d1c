from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory

from wayhome.accounts.models import User


def test_unknown_page_is_a_plain_404(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(caseworker).get("/no-such-page/")
    assert response.status_code == 404
    assert "not yours to see" in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_stands_alone() -> None:
    """The 500 page renders without a request context: no data can leak into it."""
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Nothing you entered has been saved" in response.content.decode()
