"""The blocking index of the registry and the agency's fitted scoring model."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayhome.people.models import Person


class NameKey(models.Model):
    """One blocking key of one person (from any of their names), written by
    ``services.person_keys_refresh``. Candidate search is an index lookup on
    (agency, key): the agency is copied from the person so the lookup never leaves it."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        # (agency, key, person): the search reads person ids from the index alone;
        # (person): refreshing one person's keys deletes them by person.
        indexes = [models.Index(fields=["agency", "key", "person"], name="namekey_lookup")]

    def __str__(self) -> str:
        return self.key


class CommonKey(models.Model):
    """A key held by too many persons of the agency to tell anyone apart, as counted by
    the last ``wayhome matching reindex``: searches skip it without reading its rows.
    Keys that become common later are found by the search itself (see selectors)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    persons = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("common name key")
        verbose_name_plural = _("common name keys")
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="commonkey_unique")]

    def __str__(self) -> str:
        return self.key


class MatchModel(models.Model):
    """An agency's Fellegi–Sunter weights fitted from its confirmed pairs; the newest is
    used, the older ones are the history of what the scores meant when."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(_("parameters"))
    fitted_at = models.DateTimeField(_("fitted at"), default=timezone.now)
    pairs_used = models.PositiveIntegerField(_("confirmed pairs used"))

    class Meta:
        verbose_name = _("match model")
        verbose_name_plural = _("match models")
        ordering = ["-fitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.fitted_at:%Y-%m-%d} ({self.pairs_used})"


class RequestRanking(models.Model):
    """A tracing request's candidates as last ranked, kept so that opening the request
    reads them instead of searching the registry again (``matching.requests``).

    Ranked for the whole agency, never for one reader: each read keeps only the persons
    the reader may see. Writes that could change the ranking bump ``version``
    (``services.rankings_stale``); a ranking is current while ``ranked_version`` equals
    it and the agency's model is still ``model``. ``version`` is read before the registry
    is, so a change committed during a ranking leaves it stale rather than lost. A
    ranking by an older scorer (``scorer``, ``requests.SCORER``) is stale too: a release
    that changes how candidates score leaves no ranking in the old order."""

    request = models.OneToOneField(
        "tracing.TracingRequest",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="ranking",
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=0)
    ranked_version = models.PositiveIntegerField(null=True)
    # The sought persons ranked (ids, sorted): a request seeking others is ranked again
    # whatever else was marked.
    sought = models.JSONField(default=list)
    # The fitted model the scores came from; None: the shipped default.
    model = models.ForeignKey(MatchModel, null=True, on_delete=models.SET_NULL, related_name="+")
    # The scorer that ranked it (``requests.SCORER``; 0: before scorers were numbered).
    scorer = models.PositiveSmallIntegerField(default=0)
    ranked_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("request ranking")
        verbose_name_plural = _("request rankings")

    def __str__(self) -> str:
        return f"{self.request_id} v{self.ranked_version}/{self.version}"


class RankedCandidate(models.Model):
    """One registered person who may be one sought person of a request, as ranked:
    ``position`` orders a sought person's candidates by their own evidence (``base_*``),
    ``score`` and ``weight`` add the evidence of their children matching sought children."""

    ranking = models.ForeignKey(RequestRanking, on_delete=models.CASCADE, related_name="rows")
    sought = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    base_score = models.FloatField()
    base_weight = models.FloatField()
    score = models.FloatField()
    weight = models.FloatField()

    class Meta:
        verbose_name = _("ranked candidate")
        verbose_name_plural = _("ranked candidates")
        # (person): a change to a candidate finds the rankings it appears in.
        indexes = [models.Index(fields=["ranking", "sought", "position"], name="ranked_order")]

    def __str__(self) -> str:
        return f"{self.sought_id} ~ {self.person_id} #{self.position}"


class RankingKey(models.Model):
    """A blocking key a request's sought persons were searched by: a person filed under
    it may now belong in the ranking, so filing one makes the ranking stale."""

    ranking = models.ForeignKey(RequestRanking, on_delete=models.CASCADE, related_name="keys")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ranking key")
        verbose_name_plural = _("ranking keys")
        indexes = [models.Index(fields=["agency", "key"], name="rankingkey_lookup")]

    def __str__(self) -> str:
        return self.key
