from django.urls import URLPattern, URLResolver

app_name = "repatriation"

urlpatterns: list[URLPattern | URLResolver] = []
