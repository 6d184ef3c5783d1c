"""Linkage benchmark: ``python -m bench.linkage``."""
