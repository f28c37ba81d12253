"""The public SAM frame protocol of GA 467 resident ID card readers: pure bytes, no I/O.

A command:  AA AA AA 96 69 | LEN (2, big-endian) | CMD | PARA | data | CHK
An answer:  AA AA AA 96 69 | LEN (2, big-endian) | SW1 | SW2 | SW3 | data | CHK

LEN counts everything after itself, the checksum included; CHK is the XOR of every byte
after the preamble except itself. SW3 is the reader's status: 90 done, 9F a card was found.

Read base information (30 01) answers with a 2-byte text length, a 2-byte photo length,
256 bytes of text in UCS-2 little-endian and a 1024-byte encoded photo. The text fields are
fixed-width (in bytes): name 30, sex 2, nation 4, birth date 16, address 70, ID number 36,
issuing authority 30, valid from 16, valid to 16, reserved 36. Only the name, the birth
date and the ID number are kept from it; the photo is dropped unread.
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = bytes.fromhex("AAAAAA9669")
FIND_CARD = (0x20, 0x01)  # 寻找证/卡
SELECT_CARD = (0x20, 0x02)  # 选取证/卡
READ_BASE = (0x30, 0x01)  # 读基本信息 (text and photo)
SAM_STATUS = (0x11, 0xFF)  # SAM 状态检测

OK = 0x90
FOUND = 0x9F
# What SW3 says when it is not OK, in the protocol's own words.
STATUS_TEXT: dict[int, str] = {
    0x10: "the reader received a bad checksum",
    0x11: "the reader received a bad length",
    0x21: "the reader did not accept the command",
    0x23: "the reader is not authorised for this",
    0x24: "the reader reports an unknown error",
    0x31: "the card did not authenticate the reader",
    0x32: "the reader did not authenticate the card",
    0x33: "the card's data did not verify",
    0x40: "this is not a resident ID card",
    0x41: "the card could not be read (moved away?)",
    0x47: "the card gave no random number",
    0x60: "the reader's self-test failed",
    0x66: "the reader is not authorised",
    0x80: "no card found",
    0x81: "the card could not be selected",
    0x91: "the card has no such data",
}

TEXT_BYTES = 256
PHOTO_BYTES = 1024
# (field, bytes) in the order of the card's text block.
TEXT_FIELDS: tuple[tuple[str, int], ...] = (
    ("name", 30),
    ("sex", 2),
    ("nation", 4),
    ("birth", 16),
    ("address", 70),
    ("id_number", 36),
    ("authority", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)
assert sum(n for _, n in TEXT_FIELDS) == TEXT_BYTES


class FrameError(ValueError):
    """Bytes that are not a well-formed answer (preamble, length or checksum)."""


def checksum(body: bytes) -> int:
    value = 0
    for byte in body:
        value ^= byte
    return value


def command(cmd: tuple[int, int], data: bytes = b"") -> bytes:
    body = bytes(cmd) + data
    length = len(body) + 1
    head = length.to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([checksum(head)])


def answer(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    """An answer frame as a reader sends it (the reader simulator of the tests uses it)."""
    body = bytes([sw1, sw2, sw3]) + data
    head = (len(body) + 1).to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([checksum(head)])


@dataclass(frozen=True)
class Answer:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def ok(self) -> bool:
        return self.sw3 in (OK, FOUND)

    def reason(self) -> str:
        return STATUS_TEXT.get(self.sw3, f"status {self.sw3:02X}")


def frame_length(head: bytes) -> int:
    """How many bytes follow the 7-byte head (preamble and LEN) of an answer."""
    if len(head) != 7 or head[:5] != PREAMBLE:
        raise FrameError(f"not an answer frame: starts {head[:7].hex(' ')}")
    length = int.from_bytes(head[5:7], "big")
    if length < 4:
        raise FrameError(f"answer length {length} is too short for SW1 SW2 SW3 and CHK")
    return length


def parse_answer(frame: bytes) -> Answer:
    """A complete answer frame, its length and checksum checked."""
    length = frame_length(frame[:7])
    if len(frame) != 7 + length:
        raise FrameError(f"answer of {len(frame) - 7} bytes, its length says {length}")
    head = frame[5:-1]
    if checksum(head) != frame[-1]:
        raise FrameError(f"answer checksum {frame[-1]:02X}, the bytes give {checksum(head):02X}")
    return Answer(frame[7], frame[8], frame[9], frame[10:-1])


@dataclass(frozen=True)
class CardText:
    """The text fields of the card, as read (only ever held in memory)."""

    name: str
    sex: str
    nation: str
    birth: str
    address: str
    id_number: str
    authority: str
    valid_from: str
    valid_to: str


def parse_base_info(data: bytes) -> CardText:
    """The data of a read-base-information answer: text length, photo length, text, photo."""
    if len(data) < 4:
        raise FrameError("base information without its lengths")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != TEXT_BYTES or len(data) != 4 + text_len + photo_len:
        raise FrameError(
            f"base information of {len(data) - 4} bytes, text {text_len} and photo {photo_len}"
        )
    text = data[4 : 4 + TEXT_BYTES]  # the photo after it is never decoded nor kept
    values: dict[str, str] = {}
    at = 0
    for name, size in TEXT_FIELDS:
        raw = text[at : at + size]
        at += size
        try:
            values[name] = raw.decode("utf-16-le").rstrip(" \x00")
        except UnicodeDecodeError as exc:
            raise FrameError(f"field {name} is not UCS-2 text") from exc
    values.pop("reserved")
    return CardText(**values)


def encode_text(fields: dict[str, str]) -> bytes:
    """A card's text block (the tests' reader simulator); fields padded with spaces."""
    out = b""
    for name, size in TEXT_FIELDS:
        raw = fields.get(name, "").encode("utf-16-le")
        if len(raw) > size:
            raise ValueError(f"{name} is longer than {size // 2} characters")
        out += raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)
    return out


def base_info_data(text: bytes, photo: bytes) -> bytes:
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
