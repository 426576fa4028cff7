"""Benchmarks (not timed tests); results and commands in bench/README.md."""
