from django.urls import path

from wayhome.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("refit/", views.refit, name="refit"),
    path("pairs/propose/", views.propose_pair, name="propose_pair"),
    path("pairs/<uuid:key>/", views.candidate_detail, name="candidate"),
    path("pairs/<uuid:key>/confirm/", views.candidate_confirm, name="confirm"),
    path("pairs/<uuid:key>/reject/", views.candidate_reject, name="reject"),
    path("pairs/<uuid:key>/family/", views.family_confirm, name="family_confirm"),
    path("persons/<uuid:person>/merges/", views.merge_history, name="merge_history"),
    path("persons/<uuid:person>/propose/", views.propose, name="propose"),
    path("merges/<uuid:key>/undo/", views.merge_undo, name="undo"),
]
