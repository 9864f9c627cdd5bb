"""Executing notebooks per client, in parallel or on a Dask cluster, and publishing atomically."""
import sys

# nbformat validates notebooks with jsonschema, whose import builds a parser for the "iri"
# string format when the optional rfc3987-syntax package is installed (jupyterlab pulls it
# in): 1.1 s in every process that runs notebooks, for a format no notebook schema uses.
# Marking the package unavailable makes jsonschema skip that one checker, nothing else.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
