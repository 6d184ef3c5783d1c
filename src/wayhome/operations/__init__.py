"""Flights and convoys: manifests that keep families together, arrivals."""
