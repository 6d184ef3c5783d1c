import pytest
from django.utils import translation

from wayhome.places.models import Country, Region


@pytest.mark.django_db
def test_place_names_follow_the_page_language_when_known() -> None:
    country = Country.objects.create(iso2="ZZ", name="Testland", name_ru="Тестландия", name_ar="")
    region = Region.objects.create(country=country, name="North", name_ru="Север")
    with translation.override("ru"):
        assert (str(country), str(region)) == ("Тестландия", "Север")
    with translation.override("ar"):
        assert str(country) == "Testland"  # no Arabic name recorded: the English one
    assert str(country) == "Testland"
