"""Every table module, imported once, so the complete schema is one metadata object."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

import queue_server.storage as storage_package
from queue_server.storage.tables import Base


def full_metadata() -> MetaData:
    """Tables of `tables.py` and of every `*_tables.py` module beside it."""
    for module in pkgutil.iter_modules(storage_package.__path__):
        if module.name.endswith("_tables"):
            importlib.import_module(f"{storage_package.__name__}.{module.name}")
    return Base.metadata
