"""The event chain's head as the month's bulletin and notice (通报) print it: the number of
events, the head hash, when, and the signed checkpoint file written with it. Printed and
handed out, it is a copy of the head that nobody with access to the database can change
(docs/reliability.md, the threat model)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ChainHead:
    events: int
    hash: str
    at: datetime
    checkpoint_file: str

    def zh(self, zone: ZoneInfo) -> str:
        local = self.at.astimezone(zone)
        return (
            f"运行日志校验：截至{local:%Y-%m-%d %H:%M}，本大厅事件日志共{self.events}条，"
            f"链头哈希 {self.hash}，签名校验文件 {self.checkpoint_file}"
            "（可用 hallq audit verify --checkpoint 核对）。"
        )

    def en(self, zone: ZoneInfo) -> str:
        local = self.at.astimezone(zone)
        return (
            f"Event log head at {local:%Y-%m-%d %H:%M}: {self.events} events, hash {self.hash}, "
            f"signed checkpoint {self.checkpoint_file} "
            "(check with hallq audit verify --checkpoint)."
        )
