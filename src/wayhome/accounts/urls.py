from django.contrib.auth import views as auth_views
from django.urls import path

from wayhome.accounts import views, views_assign, views_webauthn

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("reauth/", views.reauth, name="reauth"),
    path("keys/", views_webauthn.keys, name="webauthn_keys"),
    path("keys/register/begin/", views_webauthn.register_begin, name="webauthn_register_begin"),
    path("keys/register/finish/", views_webauthn.register_finish, name="webauthn_register_finish"),
    path("keys/<uuid:key>/remove/", views_webauthn.key_remove, name="webauthn_key_remove"),
    path("keys/login/begin/", views_webauthn.login_begin, name="webauthn_login_begin"),
    path("keys/login/finish/", views_webauthn.login_finish, name="webauthn_login_finish"),
    path("teams/", views_assign.team_list, name="team_list"),
    path("teams/need-to-know/", views_assign.need_to_know, name="need_to_know"),
    path("teams/<uuid:team>/members/", views_assign.team_members, name="team_members"),
    path("assign/person/<uuid:person>/", views_assign.person_assign, name="person_assign"),
    path("assign/request/<uuid:request_uuid>/", views_assign.request_assign, name="request_assign"),
]
