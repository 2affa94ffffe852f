from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views

urlpatterns = [
    path("track/", views.track, name="track"),
    path("portal/", views.dashboard, name="dashboard"),
    path("portal/login/", auth_views.LoginView.as_view(), name="login"),
    path("portal/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
