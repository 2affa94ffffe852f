"""Customs endpoints under /api/v1/customs/."""

from django.urls import path

from customs_gateway.api.views import DeclarationAudit, DeclarationDetail, DeclarationMessage, Declarations, Responses

urlpatterns = [
    path("customs/declarations", Declarations.as_view(), name="customs-declarations"),
    path("customs/declarations/<uuid:pk>", DeclarationDetail.as_view(), name="customs-declaration"),
    path("customs/declarations/<uuid:pk>/audit", DeclarationAudit.as_view(), name="customs-declaration-audit"),
    path(
        "customs/declarations/<uuid:pk>/messages/<int:message_pk>",
        DeclarationMessage.as_view(),
        name="customs-declaration-message",
    ),
    path("customs/responses", Responses.as_view(), name="customs-responses"),
]
