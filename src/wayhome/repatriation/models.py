"""Models of the repatriation app."""
