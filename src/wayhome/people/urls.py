from django.urls import path

from wayhome.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<uuid:person>/", views.person_detail, name="detail"),
    path("<uuid:person>/edit/", views.person_update, name="update"),
    path("<uuid:person>/names/add/", views.name_add, name="name_add"),
    path("names/<uuid:key>/edit/", views.name_edit, name="name_edit"),
    path("names/<uuid:key>/remove/", views.name_remove, name="name_remove"),
    path("<uuid:person>/citizenships/add/", views.citizenship_add, name="citizenship_add"),
    path("citizenships/<uuid:key>/edit/", views.citizenship_edit, name="citizenship_edit"),
    path("citizenships/<uuid:key>/remove/", views.citizenship_remove, name="citizenship_remove"),
    path("<uuid:person>/documents/add/", views.document_add, name="document_add"),
    path("documents/<uuid:key>/edit/", views.document_edit, name="document_edit"),
    path("documents/<uuid:key>/remove/", views.document_remove, name="document_remove"),
    path("<uuid:person>/photos/add/", views.photo_add, name="photo_add"),
    path("photos/<uuid:key>/", views.photo_file, name="photo"),
    path("photos/<uuid:key>/remove/", views.photo_remove, name="photo_remove"),
    path("<uuid:person>/relationships/add/", views.relationship_add, name="relationship_add"),
    path("relationships/<uuid:key>/remove/", views.relationship_remove, name="relationship_remove"),
    path("families/", views.family_list, name="family_list"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<uuid:group>/", views.family_detail, name="family_detail"),
    path("families/<uuid:group>/edit/", views.family_edit, name="family_edit"),
    path("families/<uuid:group>/members/add/", views.family_member_add, name="family_member_add"),
    path(
        "families/<uuid:group>/members/<uuid:person>/remove/",
        views.family_member_remove,
        name="family_member_remove",
    ),
]
