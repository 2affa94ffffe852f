from django.urls import path

from edi.api import views

urlpatterns = [
    path("edi/inbound", views.Inbound.as_view(), name="edi-inbound"),
    path("edi/messages/<uuid:message_id>", views.MessageDetail.as_view(), name="edi-message"),
    path("edi/messages/<uuid:message_id>/ack", views.MessageAck.as_view(), name="edi-message-ack"),
]
