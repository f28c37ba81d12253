"""A kiosk that never comes back: the duty lead copies its journal file and runs
`hallq kiosk reconcile --journal FILE`; its tickets join the queue once, and when the kiosk
does come back and uploads the same journal, nothing is added twice."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

from tests.support.hallq_command import hallq
from tests.support.offline_bed import SERVICE, check_reconciled, issue_offline, offline_bed
from tests.support.server_process import REPO


def test_the_duty_lead_reconciles_a_journal_by_hand(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with offline_bed(sqlite_url, tmp_path) as bed:
            kiosk = bed.kiosk(0)
            await kiosk.issuer.renew([SERVICE])
            bed.proxy.set_mode("refuse")
            await issue_offline(kiosk, 4, gap=0.01)
            stick = tmp_path / "usb" / "kiosk-0.sqlite"
            stick.parent.mkdir()
            shutil.copy(kiosk.book.path, stick)

            def reconcile() -> subprocess.CompletedProcess[str]:
                return hallq(
                    "kiosk", "reconcile", "--journal", str(stick), "--server", bed.server.url,
                    cwd=REPO, env={**os.environ, "HALLQ_TOKEN": bed.prepared.tokens.duty_lead},
                )  # fmt: skip

            first = await asyncio.to_thread(reconcile)
            assert first.returncode == 0, first.stdout + first.stderr
            assert "4 reconciled now" in first.stdout
            assert all(t.number in first.stdout for t in kiosk.offline)
            again = await asyncio.to_thread(reconcile)
            assert "0 reconciled now, 4 already there" in again.stdout

            bed.proxy.set_mode("pass")  # the kiosk is back and uploads its own journal
            assert await kiosk.issuer.upload() == 4
            problems = check_reconciled(bed, [kiosk])
            assert not problems, "\n".join(problems)
            await kiosk.client.aclose()
            kiosk.book.close()
            await bed.online.aclose()

    asyncio.run(scenario())
