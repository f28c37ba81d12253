"""The server is SIGKILLed instead of the network being cut: three kiosks issue from their
leases while it is dead, and once it is restarted on the same port they reconcile; the kiosk
that stayed online carries on with numbers after every leased block."""

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


def test_kiosks_keep_issuing_through_a_killed_server(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with offline_bed(sqlite_url, tmp_path) as bed:
            kiosks = [bed.kiosk(n) for n in range(3)]
            for kiosk in kiosks:
                await kiosk.issuer.renew([SERVICE])
            await issue_online(bed, 2, gap=0.01)
            bed.server.kill()
            await asyncio.gather(*(issue_offline(k, 4, gap=0.05) for k in kiosks))
            bed.server.start(timeout=180)
            await issue_online(bed, 2, gap=0.01)
            for kiosk in kiosks:
                assert await kiosk.issuer.upload() == 4
            problems = check_reconciled(bed, kiosks)
            assert not problems, "\n".join(problems)
            leased_up_to = max(
                lease.last
                for k in kiosks
                for lease in [k.book.lease(str(e["lease"])) for e in k.book.entries()]
                if lease is not None
            )
            assert all(int(n[1:]) > leased_up_to for n in bed.online_numbers[2:])
            called = await call_order(bed)
            assert len(called) == 3 * 4 + 4 and called == fair_order(called)
            result = audit_verify(sqlite_url)
            assert result.returncode == 0, result.stdout + result.stderr
            for kiosk in kiosks:
                await kiosk.client.aclose()
                kiosk.book.close()
            await bed.online.aclose()

    asyncio.run(scenario())
