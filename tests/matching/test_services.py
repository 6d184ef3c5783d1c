from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.matching.helpers import person
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.matching import services
from wayhome.matching.models import MatchModel, NameKey
from wayhome.matching.scoring import default_params, model_for
from wayhome.people import services as people
from wayhome.people.models import Person
from wayhome.people.services import NameData


def _keys(p: Person) -> set[str]:
    return set(NameKey.objects.filter(person=p).values_list("key", flat=True))


def test_keys_follow_the_names(caseworker: User) -> None:
    p = person(caseworker, "Aminat Aliyeva")
    first = _keys(p)
    assert first == services.keys_of(p)
    assert set(NameKey.objects.filter(person=p).values_list("agency_id", flat=True)) == {
        caseworker.agency_key
    }
    alias = people.name_add(actor=caseworker, person=p, data=NameData(full="Umm Umar"))
    assert _keys(p) > first
    people.name_remove(actor=caseworker, name=alias)
    assert _keys(p) == first


def test_refit_needs_pairs_of_the_agency(caseworker: User, other_agency_user: User) -> None:
    mine = person(caseworker, "Aminat Aliyeva", born=1990)
    theirs = person(other_agency_user, "Аминат Алиева", born=1990)
    for pairs in ([], [(mine, theirs)], [(mine, mine)]):
        with pytest.raises(ValidationError):
            services.model_refit(actor=caseworker, confirmed_pairs=pairs)
    assert not MatchModel.objects.exists()
    assert not AuditEvent.objects.filter(object_type="matching.MatchModel").exists()


def test_refit_writes_the_agencys_model_and_its_audit_event(
    caseworker: User, other_agency_user: User
) -> None:
    a = person(caseworker, "Aminat Aliyeva", born=1990)
    b = person(caseworker, "Аминат Алиева", born=1990)
    person(caseworker, "Амина Алиева", born=1975)
    fitted = services.model_refit(actor=caseworker, confirmed_pairs=[(a, b)])
    assert (fitted.agency_id, fitted.pairs_used) == (caseworker.agency_key, 1)
    assert model_for(caseworker.agency_key).m == fitted.params["m"]
    assert model_for(other_agency_user.agency_key).m == default_params()["m"]
    event = AuditEvent.objects.get(object_type="matching.MatchModel")
    assert (event.action, event.actor, event.changes["pairs_used"]) == ("create", caseworker, 1)
