"""Benchmarks: each module's ``run()`` returns figures measured beside a baseline in the same run."""
