from django.urls import URLPattern, URLResolver, path

from wayhome.figures import views

app_name = "figures"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("public/", views.public, name="public"),
    path("public/report.<slug:fmt>", views.public_file, name="public_file"),
    path("estimates/", views.estimate_list, name="estimate_list"),
    path("estimates/new/", views.estimate_create, name="estimate_create"),
    path("estimates/<uuid:uuid>/edit/", views.estimate_edit, name="estimate_edit"),
    path("estimates/<uuid:uuid>/delete/", views.estimate_delete, name="estimate_delete"),
]
