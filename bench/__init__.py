"""Benchmarks (README "Prestanda"). Run with `make bench`; each script prints its
figures, the baseline it measured in the same run, and the target."""
