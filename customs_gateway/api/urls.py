"""Customs endpoints (declarations arrive with the customs gateway issue)."""

urlpatterns: list = []
