"""Evaluation sets and their harnesses, beside the package (not shipped in it): ``studio`` (the
grounded reply pipeline on a home baker's corpus) and ``business`` (a business agent's tasks).
The benchmarks run them from the repository root: ``python -m bench.studio_eval``."""
