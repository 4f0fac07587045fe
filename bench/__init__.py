"""The benchmark: every workload of ``bench/README.md`` against its numpy lower bound.

Run ``python -m bench`` (``--quick`` for the CI smoke run, ``--json out.json`` to keep the
figures). Each workload module defines ``make(quick)``, which returns a ``Workload``: one
callable per side (engine, numpy lower bound, and PyTorch or micrograd where installed), each
doing one timed unit and returning its loss, so that the first losses can be compared.
"""
