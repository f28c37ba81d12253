"""Security review, finding 3 (docs/reliability.md): a 20-line script changed one event, recomputed
every later hash with plain SHA-256 and updated the hall's chain head, and `hallq audit verify` said
"chain intact". The chain is now keyed with a secret outside the database, its key epoch is sealed,
and signed checkpoint files catch even a rewrite by someone who holds the chain key, or a cut
tail."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.api.deps import Services
from queue_server.domain.event_chain import GENESIS_HASH, ChainedEvent, event_hash
from queue_server.services.tickets import IssueRequest
from queue_server.storage.tables import Event, Hall
from tests.support import hallq_command
from tests.support.factories import TEST_CHAIN_KEY


def hallq(*args: str) -> subprocess.CompletedProcess[str]:
    return hallq_command.hallq("audit", *args, timeout=60)


def issue(services: Services, count: int) -> None:
    for _ in range(count):
        services.queue.issue("test", IssueRequest("SOC"))


def rewrite(
    services: Services,
    *,
    edit_seq: int | None = None,
    key: bytes | None = None,
    keyed_from: int | None = None,
    keep_epoch: bool = False,
) -> None:
    """What the administrator's script does: change one event, recompute every hash after it
    (plain SHA-256, or HMAC with `key` from `keyed_from` on) and update the hall's head."""
    with Session(services.db.engine) as session, session.begin():
        prev = GENESIS_HASH
        for row in session.scalars(
            select(Event).where(Event.hall_id == "test").order_by(Event.seq)
        ):
            if row.seq == edit_seq:
                row.payload = {**row.payload, "service": "TAX"}
            chained = ChainedEvent(
                row.hall_id, row.seq, row.kind, row.at, row.ticket_id, row.window_no,
                row.clerk_id, row.device_id, row.payload,
            )  # fmt: skip
            keyed = key is not None and keyed_from is not None and row.seq >= keyed_from
            row.prev_hash = prev
            row.hash = prev = event_hash(prev, chained, key if keyed else None)
        hall = session.get(Hall, "test")
        assert hall is not None
        hall.last_hash = prev
        if not keep_epoch:
            hall.chain_keyed_from = None
            hall.chain_epoch_seal = None


def checkpoint(sqlite_url: str, out: Path) -> Path:
    made = hallq("checkpoint", "--database", sqlite_url, "--hall", "test", "--out", str(out))
    assert made.returncode == 0, made.stderr
    (path,) = out.glob("test-*.json")
    return path


def verify(sqlite_url: str, *checkpoints: Path) -> subprocess.CompletedProcess[str]:
    files = [arg for c in checkpoints for arg in ("--checkpoint", str(c))]
    return hallq("verify", "--database", sqlite_url, *files)


def test_the_full_rewrite_with_plain_sha256_is_caught(services: Services, sqlite_url: str) -> None:
    issue(services, 6)
    assert verify(sqlite_url).returncode == 0
    rewrite(services, edit_seq=3, keep_epoch=True)
    result = verify(sqlite_url)
    assert result.returncode == 1, result.stdout
    assert "chain BROKEN at event seq 1" in result.stdout  # no plain hash is a keyed one


def test_moving_the_key_epoch_is_caught(services: Services, sqlite_url: str) -> None:
    issue(services, 6)
    rewrite(services, edit_seq=3, keep_epoch=True)
    with Session(services.db.engine) as session, session.begin():
        hall = session.get(Hall, "test")
        assert hall is not None
        hall.chain_keyed_from = 7  # "events 1-6 predate the key"
    result = verify(sqlite_url)
    assert result.returncode == 1
    assert "not sealed by this key" in result.stdout


def test_a_removed_key_epoch_is_caught_by_a_checkpoint(
    services: Services, sqlite_url: str, tmp_path: Path
) -> None:
    issue(services, 6)
    signed = checkpoint(sqlite_url, tmp_path)
    assert verify(sqlite_url, signed).returncode == 0
    rewrite(services, edit_seq=3)  # plain hashes, epoch removed: passes for an old database
    assert "chain intact (not keyed)" in verify(sqlite_url).stdout
    result = verify(sqlite_url, signed)
    assert result.returncode == 1
    assert "the key epoch moved" in result.stdout


def test_a_rewrite_with_the_chain_key_is_caught_by_a_checkpoint(
    services: Services, sqlite_url: str, tmp_path: Path
) -> None:
    issue(services, 6)
    signed = checkpoint(sqlite_url, tmp_path)
    issue(services, 2)
    rewrite(services, edit_seq=3, key=TEST_CHAIN_KEY, keyed_from=1, keep_epoch=True)
    assert verify(sqlite_url).returncode == 0  # whoever holds the key can rewrite the chain...
    result = verify(sqlite_url, signed)  # ...but not the checkpoint given out
    assert result.returncode == 1
    assert "chain BROKEN at event seq 6" in result.stdout
    assert "rewritten" in result.stdout


def test_a_tail_cut_below_a_checkpoint_is_caught(
    services: Services, sqlite_url: str, tmp_path: Path
) -> None:
    issue(services, 6)
    signed = checkpoint(sqlite_url, tmp_path)
    with Session(services.db.engine) as session, session.begin():
        for row in session.scalars(select(Event).where(Event.seq > 4)):
            session.delete(row)
        hall = session.get(Hall, "test")
        assert hall is not None
        hall.last_seq = 4
        hall.last_hash = session.scalars(select(Event.hash).where(Event.seq == 4)).one()
    assert verify(sqlite_url).returncode == 0  # a clean cut leaves a clean chain...
    result = verify(sqlite_url, signed)
    assert result.returncode == 1
    assert "the log ends at event 4; the checkpoint saw 6" in result.stdout


def test_a_checkpoint_signed_by_another_key_is_refused(
    services: Services, sqlite_url: str, tmp_path: Path
) -> None:
    issue(services, 2)
    forged = hallq(
        "checkpoint", "--database", sqlite_url, "--out", str(tmp_path),
        "--signing-key", str(tmp_path / "someone-else.key"),
    )  # fmt: skip
    assert forged.returncode == 0, forged.stderr
    (path,) = tmp_path.glob("test-*.json")
    result = verify(sqlite_url, path)
    assert result.returncode == 1
    assert "REFUSED" in result.stdout


def test_an_unkeyed_log_from_before_the_key_still_verifies(
    services: Services, sqlite_url: str
) -> None:
    issue(services, 3)
    rewrite(services)  # what a database written before the key looks like
    issue(services, 3)  # the first keyed write starts the epoch
    result = verify(sqlite_url)
    assert result.returncode == 0, result.stdout
    assert "6 events, chain intact (keyed from event 4)" in result.stdout
    rewrite(services, edit_seq=2, key=None, keep_epoch=True)
    result = verify(sqlite_url)
    assert result.returncode == 1
    assert "chain BROKEN at event seq 4" in result.stdout
