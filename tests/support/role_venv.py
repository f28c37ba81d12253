"""A virtual environment holding one role's packages and nothing else.

`pip install -e '.[kiosk]'` from the offline index takes over a minute on a loaded two-core
machine; the same distributions are already installed in the venv running the tests, so this
resolves the role's extra from pyproject.toml the way pip does (requirements, their extras,
environment markers) and links each resolved distribution's files into a fresh
`python -m venv --without-pip`. The project itself is put on the path as an editable
install does (a .pth naming the checkout). A distribution the role needs but pyproject.toml
does not name is missing there, so an import of it fails as it would on the kiosk.
"""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


class NotInstalled(LookupError):
    """A distribution of the role's closure is not in the venv running the tests."""


def role_requirements(pyproject: Path, extra: str) -> list[Requirement]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    names = [*project["dependencies"], *project["optional-dependencies"][extra]]
    return [Requirement(text) for text in names]


def closure(requirements: list[Requirement]) -> dict[str, metadata.Distribution]:
    """Every distribution the requirements pull, with their extras, by canonical name."""
    found: dict[str, metadata.Distribution] = {}
    extras_seen: set[tuple[str, str]] = set()
    todo: list[tuple[Requirement, str]] = [(r, "") for r in requirements]
    while todo:
        requirement, for_extra = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": for_extra}):
            continue
        name = canonicalize_name(requirement.name)
        try:
            dist = found.get(name) or metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError as exc:
            raise NotInstalled(requirement.name) from exc
        new = name not in found
        found[name] = dist
        wanted = ["", *sorted(requirement.extras)]
        for extra in wanted:
            if (name, extra) in extras_seen:
                continue
            extras_seen.add((name, extra))
            if not new and extra == "":
                continue
            for text in dist.requires or []:
                todo.append((Requirement(text), extra))
    return found


def build_role_venv(root: Path, checkout: Path, extra: str) -> Path:
    """The venv's python, with `extra`'s closure and the checkout (editable) only."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=60
    )
    python = root / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    for name, dist in closure(role_requirements(checkout / "pyproject.toml", extra)).items():
        if name == "hallq":
            continue
        source = Path(str(dist.locate_file("")))
        tops = {Path(str(f)).parts[0] for f in dist.files or [] if ".." not in Path(str(f)).parts}
        for top in tops:
            target = site / top
            if not target.exists():
                target.symlink_to(source / top)
    (site / "hallq-checkout.pth").write_text(f"{checkout}\n", encoding="utf-8")
    return python
