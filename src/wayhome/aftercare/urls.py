from django.urls import URLPattern, URLResolver

app_name = "aftercare"

urlpatterns: list[URLPattern | URLResolver] = []
