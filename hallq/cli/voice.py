"""`hallq voice build`: record the hall board's offline voice clips with espeak-ng."""

from __future__ import annotations

import argparse
from pathlib import Path

from hallq.cli.options import fail
from queue_server.live.settings import LiveSettings
from queue_server.voice import ClipGenerationFailed, VoiceToolMissing, generate_clips


def cmd_build(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else LiveSettings().voice_dir
    try:
        clips = generate_clips(out)
    except (VoiceToolMissing, ClipGenerationFailed) as exc:
        return fail(f"voice build failed: {exc}", 1)
    print(f"{len(clips)} voice clips and manifest.json in {out.resolve()}")
    return 0
