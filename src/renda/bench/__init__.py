"""Benchmarks run by ``make bench``: measurements to quote, kept out of the test suite."""
