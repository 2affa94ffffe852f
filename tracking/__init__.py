"""The shared cargo-tracking store: parties, canonical events, status, query API and live push."""
