"""The shared cache of anonymous public pages and its exact invalidation by tags (see store.py)."""
