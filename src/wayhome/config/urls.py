from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("wayhome.accounts.urls")),
    path("audit/", include("wayhome.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("persons/", include("wayhome.people.urls")),
    path("places/", include("wayhome.places.urls")),
    path("review/", include("wayhome.review.urls")),
    path("protection/", include("wayhome.protection.urls")),
    path("tracing/", include("wayhome.tracing.urls")),
    path("matching/", include("wayhome.matching.urls")),
    path("legal/", include("wayhome.legal.urls")),
    path("repatriation/", include("wayhome.repatriation.urls")),
    path("operations/", include("wayhome.operations.urls")),
    path("aftercare/", include("wayhome.aftercare.urls")),
    path("lists/", include("wayhome.lists.urls")),
    path("jobs/", include("wayhome.jobs.urls")),
    path("comms/", include("wayhome.comms.urls")),
    path("relatives/", include("wayhome.portal.urls")),
    path("figures/", include("wayhome.figures.urls")),
    path("api/", include("wayhome.api.urls")),
    path("", include("wayhome.web.urls")),
]

if settings.DEBUG:  # pragma: no cover
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
