from django.urls import URLPattern, URLResolver

app_name = "comms"

urlpatterns: list[URLPattern | URLResolver] = []
