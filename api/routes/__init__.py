"""Routes, one module per resource, all under ``/v1``."""
