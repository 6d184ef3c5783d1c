"""The API's routes: /api/v1/... (the data), /api/schema/ (OpenAPI), /api/clients/...
(the administrators' pages for clients and tokens)."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from wayhome.api import casework, pages, views

app_name = "api"

router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("persons", views.PersonViewSet, basename="person")
router.register("names", views.NameViewSet, basename="name")
router.register("relationships", views.RelationshipViewSet, basename="relationship")
router.register("reports", views.ReportViewSet, basename="report")
router.register("whereabouts", views.WhereaboutsViewSet, basename="whereabouts")
router.register("tracing-requests", views.TracingRequestViewSet, basename="tracing-request")
router.register("legal-cases", casework.LegalCaseViewSet, basename="legal-case")
router.register(
    "repatriation-cases", casework.RepatriationCaseViewSet, basename="repatriation-case"
)
router.register("operations", casework.OperationViewSet, basename="operation")
router.register("hearings", casework.HearingViewSet, basename="hearing")
router.register("appeals", casework.AppealViewSet, basename="appeal")
router.register("case-steps", casework.CaseStepViewSet, basename="case-step")

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(router.urls)),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path("clients/", pages.client_list, name="client_list"),
    path("clients/<uuid:key>/", pages.client_detail, name="client_detail"),
    path("clients/<uuid:key>/tokens/", pages.token_issue, name="token_issue"),
    path("clients/<uuid:key>/active/", pages.client_active, name="client_active"),
    path("tokens/<uuid:key>/revoke/", pages.token_revoke, name="token_revoke"),
]
