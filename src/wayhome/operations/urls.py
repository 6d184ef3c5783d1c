from django.urls import URLPattern, URLResolver, path

from wayhome.operations import views

app_name = "operations"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.operation_list, name="list"),
    path("new/", views.operation_create, name="create"),
    path("<uuid:key>/", views.operation_detail, name="detail"),
    path("<uuid:key>/edit/", views.operation_edit, name="edit"),
    path("<uuid:key>/cases/add/", views.case_add, name="case_add"),
    path("<uuid:key>/cases/<uuid:case_key>/remove/", views.case_remove, name="case_remove"),
    path("<uuid:key>/confirm/", views.operation_confirm, name="confirm"),
    path("<uuid:key>/cancel/", views.operation_cancel, name="cancel"),
    path("<uuid:key>/arrivals/", views.arrivals, name="arrivals"),
    path("<uuid:key>/export/", views.manifest_export, name="export"),
]
