"""The seeded demo-client generator: a fictional B2B software company for demos and tests.

>>> from cxkit.demo import generate          # doctest: +SKIP
>>> generate(Path("client_data/demo"), seed=7, responses=20000)  # doctest: +SKIP
"""
from cxkit.demo.generator import PARQUET_THRESHOLD, DemoData, build, generate

__all__ = ["PARQUET_THRESHOLD", "DemoData", "build", "generate"]
