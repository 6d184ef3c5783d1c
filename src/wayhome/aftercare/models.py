"""Models of the aftercare app."""
