from django.urls import URLPattern, URLResolver, path

from wayhome.lists import views

app_name = "lists"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.import_list, name="index"),
    path("import/", views.import_upload, name="upload"),
    path("import/<uuid:import_uuid>/", views.import_detail, name="detail"),
    path("import/<uuid:import_uuid>/commit/", views.import_commit, name="commit"),
    path("export/persons/", views.export_persons, name="export_persons"),
]
