"""The benchmark harness behind bench/run.py, one module per job (see bench/README.md).

Modules, lowest first: paths and console; processes (servers as process groups);
wrk (runs and their output); verdicts (medians, runs against their baselines);
render (the cold render); sites (the databases); servers (Broadsheet, nginx, the
server comparison); calibration; session (one run's state and how it measures a
scenario); stages (the run, stage by stage); table and report (the results); cli.
bench/ itself is on the import path (it holds run.py), so the harness imports its
neighbour bench/static_export.py as `static_export`.
"""
