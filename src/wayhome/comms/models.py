"""Models of the comms app."""
