"""`hallq voice build`: record the hall board's offline voice clips with espeak-ng."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_voice_build(args: argparse.Namespace) -> int:
    from queue_server.live.settings import LiveSettings
    from queue_server.voice import ClipGenerationFailed, VoiceToolMissing, generate_clips

    out = Path(args.out) if args.out else LiveSettings().voice_dir
    try:
        clips = generate_clips(out)
    except (VoiceToolMissing, ClipGenerationFailed) as exc:
        print(f"voice build failed: {exc}", file=sys.stderr)
        return 1
    print(f"{len(clips)} voice clips and manifest.json in {out.resolve()}")
    return 0


def add_voice_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    voice = sub.add_parser("voice", help="offline voice for the hall board")
    voice_sub = voice.add_subparsers(dest="voice_command", required=True)
    build = voice_sub.add_parser(
        "build", help="generate one clip per announcement token (needs espeak-ng; sox optional)"
    )
    build.add_argument("--out", help="clip folder (default: HALLQ_LIVE_VOICE_DIR or var/voice)")
    build.set_defaults(func=cmd_voice_build)
