"""Repatriation cases walked through each route's rule set, kept as data."""
