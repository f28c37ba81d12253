"""Offline voice for hall-board announcements: token sequences and espeak-ng clips."""

from queue_server.voice.clips import ClipGenerationFailed, VoiceToolMissing, generate_clips
from queue_server.voice.tokens import (
    Lang,
    Utterance,
    all_tokens,
    announcement_text,
    announcement_tokens,
)

__all__ = [
    "ClipGenerationFailed",
    "Lang",
    "Utterance",
    "VoiceToolMissing",
    "all_tokens",
    "announcement_text",
    "announcement_tokens",
    "generate_clips",
]
