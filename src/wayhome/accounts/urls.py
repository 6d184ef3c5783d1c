from django.contrib.auth import views as auth_views
from django.urls import path

from wayhome.accounts import views, views_assign

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
    path("teams/", views_assign.team_list, name="team_list"),
    path("teams/need-to-know/", views_assign.need_to_know, name="need_to_know"),
    path("teams/<uuid:team>/members/", views_assign.team_members, name="team_members"),
    path("assign/person/<uuid:person>/", views_assign.person_assign, name="person_assign"),
    path("assign/request/<uuid:request_uuid>/", views_assign.request_assign, name="request_assign"),
]
