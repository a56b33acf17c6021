"""The benchmark harness behind bench/run.py, one job a module (see bench/README.md).

bench/ itself is on the import path (it holds run.py), so the harness imports its
neighbour bench/static_export.py as `static_export`.
"""
