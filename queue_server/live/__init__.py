"""The live hall: the per-hall event stream every screen follows (ARCHITECTURE.md, event bus)."""
