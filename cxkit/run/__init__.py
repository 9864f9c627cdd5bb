"""Executing notebooks per client, in parallel or on a Dask cluster, and publishing atomically."""
