"""ID numbers (with the check character), phones and names are checked strictly; what is
shown is masked."""

from __future__ import annotations

import pytest

from queue_server.domain.appointments import (
    InvalidPersonalData,
    validate_id_number,
    validate_name,
    validate_phone,
)
from queue_server.domain.masking import mask_id_number, mask_name, mask_phone


def test_a_real_id_number_passes_and_is_normalized() -> None:
    # The published GB 11643 example: 11010519491231002X.
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("110105194912310021", "check character"),  # last character mistyped
        ("11010519491331002X", "not a real date"),  # month 13
        ("1101051949123100", "18 characters"),
        ("11010519491231002Y", "18 characters"),
    ],
)
def test_a_wrong_id_number_is_refused_saying_why(text: str, why: str) -> None:
    with pytest.raises(InvalidPersonalData) as refused:
        validate_id_number(text)
    assert why in refused.value.message
    assert text not in refused.value.message  # the number is not echoed back


def test_phones_are_mainland_mobiles() -> None:
    assert validate_phone("+86 138-1234-5678") == "13812345678"
    for wrong in ("12812345678", "1381234567", "abc"):
        with pytest.raises(InvalidPersonalData):
            validate_phone(wrong)


def test_names_without_digits() -> None:
    assert validate_name("  张  三丰 ") == "张 三丰"
    with pytest.raises(InvalidPersonalData):
        validate_name("张3")


def test_masks() -> None:
    assert mask_id_number("330106199001011234") == "3301**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳明月") == "欧**月"
