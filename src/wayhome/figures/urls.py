from django.urls import URLPattern, URLResolver

app_name = "figures"

urlpatterns: list[URLPattern | URLResolver] = []
