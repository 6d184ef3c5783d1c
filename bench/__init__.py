"""Benchmarks: ``python -m bench`` lists them (see bench/README.md); not run by the tests."""
