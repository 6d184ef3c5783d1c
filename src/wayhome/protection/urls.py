from django.urls import path

from wayhome.protection import referral_views, views

app_name = "protection"

urlpatterns = [
    path("persons/<uuid:person>/", views.person_panel, name="person_panel"),
    path("persons/<uuid:person>/processing/", views.person_processing, name="person_processing"),
    path("persons/<uuid:person>/consent/", views.person_consent, name="person_consent"),
    path("persons/<uuid:person>/subject-access/", views.subject_access, name="subject_access"),
    path("persons/<uuid:person>/erase/", views.person_erase, name="person_erase"),
    path("requests/<uuid:key>/", views.request_panel, name="request_panel"),
    path("requests/<uuid:key>/processing/", views.request_processing, name="request_processing"),
    path("requests/<uuid:key>/consent/", views.request_consent, name="request_consent"),
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("disclosures/<uuid:key>/", views.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<uuid:key>/decide/", views.disclosure_decide, name="disclosure_decide"),
    path("disclosures/<uuid:key>/sent/", views.disclosure_sent, name="disclosure_sent"),
    path("referrals/", referral_views.referral_list, name="referral_list"),
    path("requests/<uuid:key>/refer/", referral_views.referral_create, name="referral_create"),
    path("referrals/<uuid:key>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:key>/decide/", referral_views.referral_decide, name="referral_decide"),
    path("referrals/<uuid:key>/revoke/", referral_views.referral_revoke, name="referral_revoke"),
    path("shared/<uuid:key>/", referral_views.shared_request, name="shared_request"),
]
