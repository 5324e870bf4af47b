"""Adapters: database, key store, files; the only layer that talks to the outside."""
