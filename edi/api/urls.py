"""EDI endpoints (inbound and message state arrive with the ingestion issue)."""

urlpatterns: list = []
