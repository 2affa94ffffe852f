"""RFID endpoints (reads and EPCIS arrive with the RFID issue)."""

urlpatterns: list = []
