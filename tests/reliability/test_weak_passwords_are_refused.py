"""Security review, finding 8 (low, docs/reliability.md): "12345678" and "password" were accepted as
staff passwords. A password now needs its length and must not be among the most common ones, nor a
run of keys or digits."""

from __future__ import annotations

import pytest

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.errors import RuleViolation

WEAK = ["12345678", "password", "Password1", "87654321", "11111111", "qwertyuiop", "woaini1314"]


def test_weak_passwords_are_refused(services: Services) -> None:
    for n, weak in enumerate(WEAK):
        with pytest.raises(RuleViolation) as refused:
            services.accounts.create_user("test", f"W{n:03d}", "王芳", Role.CLERK, weak)
        assert refused.value.code == "weak_password", weak
    made = services.accounts.create_user("test", "W100", "王芳", Role.CLERK, "窗口一号的长口令")
    with pytest.raises(RuleViolation):
        services.accounts.reset_password(made.staff_no, "password")
    services.accounts.reset_password(made.staff_no, "correct horse battery")
