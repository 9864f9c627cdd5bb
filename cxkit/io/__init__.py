"""The only layer that reads ``client_data/``: safe paths, YAML, exports and tables."""
from cxkit.io.client import ClientFolder

__all__ = ["ClientFolder"]
