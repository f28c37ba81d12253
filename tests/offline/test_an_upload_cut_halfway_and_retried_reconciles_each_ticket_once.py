"""The journal upload meets the network again: one kiosk's first upload is done by the server
but its answer is lost, another's is cut in the middle of its body, a third's second chunk is
cut. Each kiosk simply uploads again: every ticket is reconciled once, in issue-time order,
and the chain verifies."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hallq_client import ServerUnreachable
from tests.support.offline_bed import (
    SERVICE,
    audit_verify,
    call_order,
    check_reconciled,
    fair_order,
    issue_offline,
    offline_bed,
)


def test_an_upload_cut_halfway_and_retried_reconciles_each_ticket_once(
    sqlite_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        with offline_bed(sqlite_url, tmp_path) as bed:
            kiosks = [bed.kiosk(n, chunk=2) for n in range(3)]
            for kiosk in kiosks:
                await kiosk.issuer.renew([SERVICE])
            bed.proxy.set_mode("refuse")
            await asyncio.gather(*(issue_offline(k, 5, gap=0.03) for k in kiosks))
            bed.proxy.set_mode("pass")

            journal = [f"/devices/{k.name}/journal".encode() for k in kiosks]
            bed.proxy.lose_next_answer(journal[0])  # done by the server, never heard
            bed.proxy.cut_next_request(journal[1], after_bytes=300)  # headers, half a body
            with pytest.raises(ServerUnreachable):
                await kiosks[0].issuer.upload()
            with pytest.raises(ServerUnreachable):
                await kiosks[1].issuer.upload()
            assert kiosks[0].book.unreconciled() == 5  # it cannot know chunk 1 was taken
            assert kiosks[1].book.unreconciled() == 5
            # Kiosk 2: the first chunk goes through, the second is cut on the way.
            first = kiosks[2].book.pending()[:2]
            await kiosks[2].client.upload_journal(kiosks[2].name, first)
            kiosks[2].book.mark_uploaded([str(e["key"]) for e in first], kiosks[2].issuer.clock())
            bed.proxy.cut_next_request(journal[2], after_bytes=300)
            with pytest.raises(ServerUnreachable):
                await kiosks[2].issuer.upload()
            assert bed.proxy.lost == 1 and bed.proxy.cut == 2

            for kiosk in kiosks:
                await kiosk.issuer.upload()
                assert kiosk.book.unreconciled() == 0
            problems = check_reconciled(bed, kiosks)
            assert not problems, "\n".join(problems)
            called = await call_order(bed)
            assert len(called) == 15 and called == fair_order(called)
            result = audit_verify(sqlite_url)
            assert result.returncode == 0, result.stdout + result.stderr
            for kiosk in kiosks:
                await kiosk.client.aclose()
                kiosk.book.close()
            await bed.online.aclose()

    asyncio.run(scenario())
