"""Models of the legal app."""
