"""Benchmarks with real data, run by `make bench`, printing Markdown tables.

Layout: :mod:`bench.registry` (what a benchmark returns: rows of *our* figure next to a *baseline* figure),
:mod:`bench.suite` (the list that runs), :mod:`bench.site` (the site under test, in ``var/bench/``),
:mod:`bench.servers` and :mod:`bench.wrk` (serving it and loading it), :mod:`bench.http` (the HTTP benchmarks),
:mod:`bench.report` (the output). Timings are never asserted anywhere: they are printed and read by people.
"""
