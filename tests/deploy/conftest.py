"""A server installation made once per session; tests break their own copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.installed import copy_installation, server_installation


@pytest.fixture(scope="session")
def server_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return server_installation(tmp_path_factory.mktemp("server-template") / "root")


@pytest.fixture
def server_root(server_template: Path, tmp_path: Path) -> Path:
    return copy_installation(server_template, tmp_path / "root")
