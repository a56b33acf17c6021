"""The newsroom's URLs, under /newsroom/ (the back office writers work in)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from broadsheet.editorial import views

app_name = "newsroom"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="editorial/login.html"),
        name="login",
    ),
    path("api/", include("broadsheet.editorial.api_urls")),
]
