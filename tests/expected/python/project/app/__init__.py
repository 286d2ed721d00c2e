"""The service's package."""
