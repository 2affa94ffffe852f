"""The customs gateway: declarations and manifests to the authority, clearance followed to release."""
