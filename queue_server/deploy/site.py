"""Where an installed hallq keeps its configuration: everything under /etc/hallq.

/etc/hallq/hallq.env             role, server address, hall, ports (EnvironmentFile=)
/etc/hallq/hall.toml             the hall (server only)
/etc/hallq/kiosk-N.env           seat N of a kiosk machine: HALLQ_PRINTER, HALLQ_PAPER
/etc/hallq/console-N.env         optional notice-slip printer of window N's console
/etc/hallq/foot.ini              the screens' terminal (CJK font)
/etc/hallq/foot-kiosk.ini        the kiosk's terminal (18 pt, elder mode: docs/devices.md)
/etc/hallq/secrets/database-url  server: the database URL (root 0600, a credential)
/etc/hallq/secrets/kiosk-N.token, display-N.token, board.token  device tokens (root 0600)
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

ETC = Path("/etc/hallq")
_SEAT = re.compile(r"^(kiosk|display|console)-(\d+)\.(env|token)$")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments, quotes)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        parts = shlex.split(value, comments=False) if value.strip() else [""]
        values[key.strip()] = " ".join(parts)
    return values


@dataclass(frozen=True)
class Site:
    etc: Path = ETC

    @property
    def env_file(self) -> Path:
        return self.etc / "hallq.env"

    @property
    def hall_file(self) -> Path:
        return self.etc / "hall.toml"

    @property
    def secrets(self) -> Path:
        return self.etc / "secrets"

    def env(self) -> dict[str, str]:
        return read_env_file(self.env_file) if self.env_file.is_file() else {}

    def seat_env(self, kind: str, number: int) -> dict[str, str]:
        path = self.etc / f"{kind}-{number}.env"
        return read_env_file(path) if path.is_file() else {}

    def token_file(self, device: str) -> Path:
        return self.secrets / f"{device}.token"

    def seats(self, kind: str) -> list[int]:
        """Seat or window numbers configured for `kind` (kiosk, display, console)."""
        numbers = set()
        for path in self.etc.glob(f"{kind}-*") if self.etc.is_dir() else ():
            match = _SEAT.match(path.name)
            if match and match.group(1) == kind:
                numbers.add(int(match.group(2)))
        for path in self.secrets.glob(f"{kind}-*.token") if self.secrets.is_dir() else ():
            match = _SEAT.match(path.name)
            if match:
                numbers.add(int(match.group(2)))
        return sorted(numbers)
