"""A journal with bad entries in it (a number outside the kiosk's block, a lease the server
never granted: a kiosk bug or a file mixed up with another) is reconciled entry by entry: the
good ones go in, each bad one is refused with its own reason, kept in the kiosk's journal
marked refused (reported to the floor monitor as refused, apart from pending) and never sent
again by the kiosk; uploading everything again changes nothing, and the duty lead's `hallq
kiosk reconcile` lists the refusals. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from tests.support.hallq_command import hallq
from tests.support.offline_bed import (
    SERVICE,
    audit_verify,
    call_order,
    check_reconciled,
    issue_offline,
    offline_bed,
)
from tests.support.server_process import REPO


def test_one_bad_journal_entry_never_blocks_the_rest(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with offline_bed(database_url, tmp_path) as bed:
            kiosk = bed.kiosk(0)
            await kiosk.issuer.renew([SERVICE])
            bed.proxy.set_mode("refuse")
            await issue_offline(kiosk, 4, gap=0.01)
            [lease] = kiosk.book.usable(SERVICE, kiosk.issuer.clock())
            first = kiosk.offline[0]
            # Two entries the server cannot take, issued between the good ones.
            for key, lease_id, seq in (
                ("off-bad-outside", lease.id, lease.last + 7),
                ("off-bad-lease", "0" * 31 + "f", 2),
            ):
                kiosk.book._db.execute(
                    "INSERT INTO journal (key, lease_id, service, seq_no, number, priority, "
                    "issued_at, ticket_id) VALUES (?, ?, ?, ?, ?, 'normal', ?, ?)",
                    (key, lease_id, SERVICE, seq, f"A{seq:03d}", first.issued_at.isoformat(),
                     "x" * 32),
                )  # fmt: skip
            bed.proxy.set_mode("pass")

            assert await kiosk.issuer.upload() == 4
            assert kiosk.book.unreconciled() == 0 and kiosk.book.refused() == 2
            refused = {e["key"]: e for e in kiosk.book.entries() if e["refused"]}
            assert refused["off-bad-outside"]["refused"] == "outside_lease"
            assert f"A{lease.last + 7:03d} is outside lease" in str(
                refused["off-bad-outside"]["refused_reason"]
            )
            assert refused["off-bad-lease"]["refused"] == "unknown_lease"
            # The floor monitor lists it as refused, nothing left to upload.
            assert kiosk.issuer.journal_state()[:2] == (0, 2)
            assert await kiosk.issuer.upload() == 0  # refused entries are not sent again

            # The whole journal again, plus a key twice: the same answers, nothing new.
            everything = [
                {k: e[k] for k in ("key", "lease", "seq_no", "priority", "issued_at")}
                for e in kiosk.book.entries()
            ]
            again = await kiosk.client.upload_journal(kiosk.name, [*everything, everything[0]])
            by_key = {a["key"]: a for a in again[:-1]}
            assert {k: a["refused"] for k, a in by_key.items() if a["refused"]} == {
                "off-bad-outside": "outside_lease",
                "off-bad-lease": "unknown_lease",
            }
            assert all(a["replayed"] for a in again[:-1] if not a["refused"])
            assert again[-1]["refused"] == "duplicate_key"

            # The duty lead reads the same from the journal file.
            listed = hallq(
                "kiosk", "reconcile", "--journal", str(kiosk.book.path), "--server",
                bed.server.url, cwd=REPO,
                env={**os.environ, "HALLQ_TOKEN": bed.prepared.tokens.duty_lead},
            )  # fmt: skip
            assert listed.returncode == 1, listed.stdout + listed.stderr
            assert "0 reconciled now, 4 already there, 2 refused" in listed.stdout
            assert "outside_lease" in listed.stdout and "unknown_lease" in listed.stdout

            problems = check_reconciled(bed, [kiosk])
            assert not problems, "\n".join(problems)
            called = await call_order(bed)
            assert sorted(c.number for c in called) == sorted(t.number for t in kiosk.offline)
            result = audit_verify(bed.database_url)
            assert result.returncode == 0, result.stdout + result.stderr
            await kiosk.client.aclose()
            kiosk.book.close()
            await bed.online.aclose()

    asyncio.run(scenario())
