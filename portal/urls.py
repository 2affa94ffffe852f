"""The portal's URLs: public tracking, the forwarders' portal, the operators' pages, login."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views

urlpatterns = [
    path("track/", views.track, name="track"),
    path("portal/", views.dashboard, name="dashboard"),
    path("portal/row/", views.row, name="dashboard-row"),
    path("portal/watch/add/", views.watch_add, name="watch-add"),
    path("portal/watch/upload/", views.watch_upload, name="watch-upload"),
    path("portal/watch/remove/", views.watch_remove, name="watch-remove"),
    path("portal/export.csv", views.export, name="export"),
    path("portal/containers/<str:number>/", views.container_page, name="container"),
    path("portal/shipments/<str:reference>/", views.shipment_page, name="shipment"),
    path("portal/webhooks/", views.subscriptions, name="subscriptions"),
    path("portal/ops/", views.overview, name="ops"),
    path("portal/ops/messages/", views.message_list, name="ops-messages"),
    path("portal/ops/messages/<str:pk>/", views.message_detail, name="ops-message"),
    path("portal/ops/messages/<str:pk>/reprocess/", views.reprocess, name="ops-reprocess"),
    path("portal/ops/messages/<str:pk>/ack/<int:index>/", views.acknowledgement_detail, name="ops-ack"),
    path("portal/ops/interchanges/<int:pk>/", views.interchange_detail, name="ops-interchange"),
    path("portal/ops/customs/messages/<int:pk>/", views.customs_message_detail, name="ops-customs-message"),
    path("portal/ops/gates/", views.gates, name="ops-gates"),
    path("portal/ops/customs/", views.customs, name="ops-customs"),
    path("portal/login/", auth_views.LoginView.as_view(), name="login"),
    path("portal/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
