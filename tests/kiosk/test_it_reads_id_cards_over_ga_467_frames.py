"""The GA 467 SAM serial driver against a reader simulator on a pty: the published command
frames, a good card read (the photo dropped), and each fault a clear CardError with no data:
a card moved away mid-read, a bad checksum, a reader that stops answering."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from hallq.devices.idcard import protocol
from hallq.devices.idcard.reader import CardError, SerialCardReader, card_from_text
from tests.bookings.helpers import id_number
from tests.support.idcard_reader import Card, PtyCardReader

ELDER = Card(id_number(41, born="19500307"), name="王老汉")


@pytest.fixture
def reader(sim: PtyCardReader) -> Iterator[SerialCardReader]:
    driver = SerialCardReader(sim.device, timeout=0.3)
    yield driver
    driver.close()


def test_the_commands_are_the_published_frames() -> None:
    # The frames printed in readers' manuals (寻卡, 选卡, 读基本信息).
    assert protocol.command(protocol.FIND_CARD).hex() == "aaaaaa96690003200122"
    assert protocol.command(protocol.SELECT_CARD).hex() == "aaaaaa96690003200221"
    assert protocol.command(protocol.READ_BASE).hex() == "aaaaaa96690003300132"
    found = protocol.parse_answer(bytes.fromhex("AAAAAA9669000800009F0000000097"))
    assert found.sw3 == protocol.FOUND and found.ok


def test_a_good_card_is_read_once_while_it_lies_there(
    sim: PtyCardReader, reader: SerialCardReader
) -> None:
    assert reader.poll() is None  # no card
    sim.place(ELDER)
    card = reader.poll()
    assert card is not None
    assert card.id_number == ELDER.id_number and card.name == "王老汉"
    assert card.birth == date(1950, 3, 7) and card.source == "serial"
    assert ELDER.id_number not in repr(card) and "王老汉" not in repr(card)
    assert reader.poll() is None  # the same card still lying there is not a second tap
    sim.lift()
    assert reader.poll() is None
    sim.place(ELDER)
    assert reader.poll() is not None  # placed again: a new tap


@pytest.mark.parametrize(
    ("fault", "kind"), [("removed", "removed"), ("checksum", "checksum"), ("stalls", "silent")]
)
def test_a_fault_mid_read_is_an_error_and_no_data(
    sim: PtyCardReader, reader: SerialCardReader, fault: str, kind: str
) -> None:
    sim.place(ELDER, fault)  # type: ignore[arg-type]
    with pytest.raises(CardError) as raised:
        reader.poll()
    assert raised.value.kind == kind
    assert ELDER.id_number not in str(raised.value) and "王老汉" not in str(raised.value)
    assert reader.poll() is None  # the card was lifted after the fault
    assert sim.reads == 0


def test_a_silent_reader_is_named(sim: PtyCardReader, reader: SerialCardReader) -> None:
    sim.go_silent()
    with pytest.raises(CardError) as raised:
        reader.poll()
    assert raised.value.kind == "silent" and sim.device in str(raised.value)
    assert not reader.probe()


def test_a_card_whose_fields_disagree_is_refused() -> None:
    text = Card(id_number(41, born="19500307")).text()
    bad_birth = text[:36] + "19600307".encode("utf-16-le") + text[52:]
    data = protocol.base_info_data(bad_birth, bytes(1024))
    with pytest.raises(CardError) as raised:
        card_from_text(protocol.parse_base_info(data))
    assert raised.value.kind == "invalid"
