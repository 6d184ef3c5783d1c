"""Figures people can trust: staff dashboards, public figures, a ledger of published estimates."""
