"""`make bench`: QClub's members area and bulk import at national scale.

`bench.build` makes the synthetic data set (all comuni, every indicator, every
year) in its own database; `bench.run` measures the app's own code paths
against the bare SQL that gives the same answer. See docs/benchmarks.md.
"""
