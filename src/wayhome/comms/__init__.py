"""Talking with families: the communication log and notifications to inquirers."""
