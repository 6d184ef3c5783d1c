"""What a caseworker does all day, as locust users (used by bench/load.py, not run alone).

Each simulated user logs in once, then browses, searches and edits with a think time of
1-3 seconds, as people do. ``FastHttpUser`` (geventhttpclient, insecure for the bench's own
self-signed certificate) because the load generator shares the 2 cores with the server:
the requests-based client spent several times more CPU per request. The persons and
requests it opens come from the files bench/load writes (``BENCH_LOAD_SAMPLES``), so
every user reads different records.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

SAMPLES = json.loads(open(os.environ["BENCH_LOAD_SAMPLES"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = os.environ["BENCH_LOAD_PASSWORD"]
# Users take disjoint slices of the editable persons (bench/load.py picks a few hundred).
SLICES = 100
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class FormValues(HTMLParser):
    """The values a browser would submit for the first form with a given action: inputs,
    the selected option of each select, and textareas."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action", "") in ("", self.action)
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.values.setdefault(self.textarea or "", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data


def form_values(html: str, action: str) -> dict[str, str]:
    parser = FormValues(action)
    parser.feed(html)
    return parser.values


ARRIVED = itertools.count(1)


def arrived(user: FastHttpUser) -> None:
    """Count a user in; the last one in resets the figures."""
    runner = user.environment.runner
    if runner is not None and next(ARRIVED) == runner.target_user_count:
        runner.stats.reset_all()


class Caseworker(FastHttpUser):
    wait_time = between(1, 3)
    weight = 9
    numbers = itertools.count()
    mine: list[str]

    def page(self, url: str, name: str, **params: str) -> None:
        """GET a page; anything but 200 (a redirect to the login page above all) counts as
        a failure."""
        if params:
            url = f"{url}?{urlencode(params)}"
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                where = r.headers.get("Location", "") if r.headers else ""
                why = "not logged in: sent to the login page" if "/accounts/login/" in where else ""
                r.failure(why or f"HTTP {r.status_code}")

    def on_start(self) -> None:
        # Each caseworker edits persons of their own, as people work their own cases: two
        # users saving one person at once is a conflict the form rightly refuses (version
        # check), which would count here as a failure of the server.
        number = next(Caseworker.numbers)
        editable = SAMPLES["editable"]
        self.mine = editable[number % SLICES :: SLICES] or editable
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text or "")
        self.client.post(
            "/accounts/login/",
            {
                "username": random.choice(SAMPLES["users"]),
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        # The steady state starts once the last user is in: the figures are reset then,
        # so the logins (an Argon2 check each, 150 ms of CPU by design, a burst no working
        # day has) stay out of them. locust's own --reset-stats resets when the last user
        # is spawned, before the logins queued behind the burst have finished.
        arrived(self)

    @task(4)
    def person_list(self) -> None:
        self.page("/persons/", "person list")

    @task(3)
    def person_detail(self) -> None:
        uuid = random.choice(SAMPLES["persons"])
        self.page(f"/persons/{uuid}/", "person detail")

    @task(3)
    def search(self) -> None:
        q = random.choice(SAMPLES["queries"])
        self.page("/persons/", "person search", q=q)

    @task(2)
    def request_list(self) -> None:
        self.page("/tracing/requests/", "request list")

    @task(1)
    def dashboard(self) -> None:
        self.page("/dashboard/", "dashboard")

    @task(1)
    def edit(self) -> None:
        """Open a person's edit form and save it unchanged: a full read-validate-write-audit
        cycle without drifting the data."""
        uuid = random.choice(self.mine)
        url = f"/persons/{uuid}/edit/"
        form = self.client.get(url, name="person edit form")
        with self.client.post(
            url,
            form_values(form.text or "", url),
            headers={"Referer": f"{self.host}{url}"},
            name="person save",
            allow_redirects=False,
            catch_response=True,
        ) as saved:
            if saved.status_code != 302:  # a form shown again is a refused save
                saved.failure(f"save not accepted: HTTP {saved.status_code}")

    @task(2)
    def health(self) -> None:
        """The baseline: the cheapest request the same server answers under the same load."""
        self.client.get("/health/", name="health (baseline)")


class Integration(FastHttpUser):
    """Another system of the agency reading through the API with its client's token (one
    user in ten), with the same think time: the issue's "pages and API calls"."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Bearer {SAMPLES['api_token']}"}
        arrived(self)

    def call(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, headers=self.auth, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    @task(2)
    def persons(self) -> None:
        self.call("/api/v1/persons/", "api: persons")

    @task(2)
    def search(self) -> None:
        q = random.choice(SAMPLES["queries"])
        self.call(f"/api/v1/persons/?{urlencode({'q': q})}", "api: person search")

    @task(3)
    def person(self) -> None:
        self.call(f"/api/v1/persons/{random.choice(SAMPLES['persons'])}/", "api: person")

    @task(1)
    def requests(self) -> None:
        self.call("/api/v1/tracing-requests/", "api: tracing requests")
