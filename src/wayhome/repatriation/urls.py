from django.urls import URLPattern, URLResolver, path

from wayhome.repatriation import views

app_name = "repatriation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("export/", views.case_export, name="case_export"),
    path("<uuid:case_uuid>/", views.case_detail, name="case_detail"),
    path("<uuid:case_uuid>/ready/", views.case_ready, name="case_ready"),
    path("<uuid:case_uuid>/stage/", views.case_stage, name="case_stage"),
    path("<uuid:case_uuid>/refresh/", views.case_refresh, name="case_refresh"),
    path("<uuid:case_uuid>/migrate/", views.case_migrate, name="case_migrate"),
    path("<uuid:case_uuid>/members/new/", views.member_add, name="member_add"),
    path("<uuid:case_uuid>/consents/new/", views.consent_add, name="consent_add"),
    path("<uuid:case_uuid>/documents/new/", views.document_upload, name="document_upload"),
    path("<uuid:case_uuid>/documents/generate/", views.document_generate, name="document_generate"),
    path("documents/<uuid:document_uuid>/", views.document_file, name="document_file"),
    path("members/<uuid:member_uuid>/", views.member_edit, name="member_edit"),
    path("members/<uuid:member_uuid>/remove/", views.member_remove, name="member_remove"),
    path("steps/<uuid:step_uuid>/", views.step_edit, name="step_edit"),
    path("steps/<uuid:step_uuid>/waive/", views.step_waive, name="step_waive"),
    path("rules/", views.rule_set_list, name="rule_set_list"),
    path("rules/<uuid:rule_set_uuid>/", views.rule_set_detail, name="rule_set_detail"),
    path("rules/<uuid:rule_set_uuid>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("rules/<uuid:rule_set_uuid>/status/", views.rule_set_status, name="rule_set_status"),
    path("templates/<uuid:template_uuid>/edit/", views.template_edit, name="template_edit"),
]
