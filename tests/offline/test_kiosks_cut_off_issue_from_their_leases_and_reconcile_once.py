"""Three kiosks cut off from the server (the network first drops, then refuses) keep issuing
from their leases while a fourth kiosk keeps issuing online for the same service; when the
network is back every offline ticket is reconciled once, numbers are unique per day and
prefix, the queue is called in the order people really took their numbers, and
`hallq audit verify` passes. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support.offline_bed import (
    SERVICE,
    audit_verify,
    call_order,
    check_reconciled,
    fair_order,
    issue_offline,
    issue_online,
    offline_bed,
)


def test_kiosks_cut_off_issue_from_their_leases_and_reconcile_once(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        with offline_bed(database_url, tmp_path) as bed:
            kiosks = [bed.kiosk(n) for n in range(3)]
            for kiosk in kiosks:
                assert await kiosk.issuer.renew([SERVICE]) == 1
                assert kiosk.book.left(SERVICE, kiosk.issuer.clock()) >= 5
            await issue_online(bed, 2, gap=0.01)

            bed.proxy.set_mode("drop")
            await asyncio.gather(
                *(issue_offline(k, 3, gap=0.05) for k in kiosks),
                issue_online(bed, 3, gap=0.2),
            )
            bed.proxy.set_mode("refuse")
            await asyncio.gather(
                *(issue_offline(k, 2, gap=0.05) for k in kiosks),
                issue_online(bed, 2, gap=0.2),
            )
            assert all(k.book.unreconciled() == 5 for k in kiosks)
            assert all(k.issuer.offline_since is not None for k in kiosks)

            bed.proxy.set_mode("pass")
            for kiosk in kiosks:
                assert await kiosk.issuer.upload() == 5
                assert await kiosk.issuer.upload() == 0  # nothing left: nothing sent twice
            # A kiosk that repeats its whole journal (its marks lost) changes nothing.
            again = await kiosks[0].client.upload_journal(
                kiosks[0].name, [dict(e, lease=e["lease"]) for e in _all(kiosks[0])]
            )
            assert [a["replayed"] for a in again] == [True] * 5

            problems = check_reconciled(bed, kiosks)
            assert not problems, "\n".join(problems)
            numbers = [t.number for k in kiosks for t in k.offline] + bed.online_numbers
            assert len(numbers) == len(set(numbers)) == 3 * 5 + 7

            called = await call_order(bed)
            assert len(called) == len(numbers)
            assert called == fair_order(called)
            result = audit_verify(database_url)
            assert result.returncode == 0, result.stdout + result.stderr
            for kiosk in kiosks:
                await kiosk.client.aclose()
                kiosk.book.close()
            await bed.online.aclose()

    asyncio.run(scenario())


def _all(kiosk: object) -> list[dict[str, object]]:
    from tests.support.offline_bed import Kiosk

    assert isinstance(kiosk, Kiosk)
    return [
        {k: e[k] for k in ("key", "lease", "seq_no", "priority", "issued_at")}
        for e in kiosk.book.entries()
    ]
