"""Models of the figures app."""
