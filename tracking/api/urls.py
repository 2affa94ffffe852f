from django.urls import path

from tracking.api import views

urlpatterns = [
    path("events", views.EventList.as_view(), name="event-list"),
]
