"""Read and validate hall TOML files; errors name the key and the reason."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from queue_server.config.models import HallConfig


class ConfigError(Exception):
    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def _key_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts) or "(top level)"


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function")))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against hall.example.toml)"
        problems.append(f"{_key_path(loc)}: {message}")
    return problems


def parse_hall_config(text: str, source: str = "<string>") -> HallConfig:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"not valid TOML: {exc}"]) from None
    return validate_hall_config(raw, source)


def validate_hall_config(raw: dict[str, Any], source: str = "<mapping>") -> HallConfig:
    try:
        return HallConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(source, _problems(exc)) from None


def load_hall_config(path: Path | str) -> HallConfig:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(file, [f"cannot read the file: {exc.strerror}"]) from None
    return parse_hall_config(text, str(file))


def load_hall_configs(paths: Iterable[Path | str]) -> list[HallConfig]:
    configs = [load_hall_config(p) for p in paths]
    ids = [c.hall.id for c in configs]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ConfigError(", ".join(map(str, paths)), [f"hall ids repeated: {repeated}"])
    return configs
