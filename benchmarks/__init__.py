"""Benchmarks of the ``compliance`` tool: a seeded generator of synthetic groups and a runner.

Run ``.venv/bin/python -m benchmarks.run`` (full) or ``... --quick`` (smoke); see
``benchmarks/results.md``.
"""
