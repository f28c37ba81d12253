"""Benchmarks: figures with a same-run baseline; see docs/benchmarks.md."""
