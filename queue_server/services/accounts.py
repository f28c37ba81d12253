"""Staff accounts: creating and disabling them, passwords (argon2), logins and logouts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.access import Role, check_new_password
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.login_throttle import (
    NONE,
    Failures,
    ThrottlePolicy,
    after_failure,
    retry_after,
)
from queue_server.services.database import Database, Work
from queue_server.services.errors import Conflict, NotFound, Throttled, Unauthenticated
from queue_server.services.event_log import append_event
from queue_server.services.tokens import STAFF_PREFIX, new_token, token_digest
from queue_server.storage.tables import Hall, LoginFailure, StaffSession, User, WindowSignIn

DEFAULT_SESSION = timedelta(hours=12)  # one working day, with time to spare


@dataclass(frozen=True)
class UserView:
    id: str
    hall: str
    staff_no: str
    name: str
    role: Role
    active: bool

    @classmethod
    def of(cls, row: User) -> UserView:
        return cls(row.id, row.hall_id, row.staff_no, row.name, Role(row.role), row.active)


@dataclass(frozen=True)
class Login:
    token: str  # shown once; the server keeps only its digest
    expires_at: datetime
    user: UserView


class AccountService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        hasher: PasswordHasher | None = None,
        *,
        session_length: timedelta = DEFAULT_SESSION,
        throttle: ThrottlePolicy | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self.session_length = session_length
        self.throttle = throttle or ThrottlePolicy()
        # Failures from one address summed over every staff number: a hall's clerks share a
        # few addresses, so this one allows more before it pauses.
        self.address_throttle = ADDRESS_THROTTLE

    @cached_property
    def _decoy(self) -> str:
        # Verified against when the account does not exist, so that a wrong staff number
        # takes as long as a wrong password and does not reveal which numbers exist.
        return self.hasher.hash(uuid.uuid4().hex)

    # ----- accounts ----------------------------------------------------------------------

    def create_user(
        self, hall: str, staff_no: str, name: str, role: Role, password: str | None
    ) -> UserView:
        staff_no, name = staff_no.strip(), name.strip()
        if not staff_no or not name:
            raise RuleViolation("a staff number and a name are needed", code="invalid_request")
        digest = self._hash(password, staff_no) if password is not None else None
        with self.db.write() as work:
            session = work.session
            if session.get(Hall, hall) is None:
                raise NotFound(f"unknown hall {hall!r}; start the server with its configuration")
            taken = session.scalar(select(User.hall_id).where(User.staff_no == staff_no))
            if taken is not None:
                raise _staff_no_taken(staff_no, taken)
            row = User(
                id=uuid.uuid4().hex,
                hall_id=hall,
                staff_no=staff_no,
                name=name,
                role=role.value,
                password_hash=digest,
                active=True,
                created_at=self.clock.now(),
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                raise _staff_no_taken(staff_no, None) from None
            return UserView.of(row)

    def list_users(self, hall: str | None = None) -> list[UserView]:
        with self.db.read() as session:
            query = select(User).order_by(User.hall_id, User.staff_no)
            if hall is not None:
                query = query.where(User.hall_id == hall)
            return [UserView.of(r) for r in session.scalars(query)]

    def user(self, staff_no: str) -> UserView:
        with self.db.read() as session:
            return UserView.of(self._user(session, staff_no))

    def disable_user(self, staff_no: str) -> UserView:
        now = self.clock.now()
        with self.db.write() as work:
            row = self._user(work.session, staff_no)
            row.active = False
            row.disabled_at = now
            self._revoke_all(work.session, row.id, now)
            self._sign_out_everywhere(work, row, now)
            return UserView.of(row)

    @staticmethod
    def _sign_out_everywhere(work: Work, user: User, now: datetime) -> None:
        """A disabled account leaves its window at once: the board stops showing its name and
        the window reads as unattended. Its attendance is not judged (it did not leave)."""
        open_rows = work.session.scalars(
            select(WindowSignIn).where(
                WindowSignIn.user_id == user.id, WindowSignIn.signed_out_at.is_(None)
            )
        ).all()
        for sign_in in open_rows:
            sign_in.signed_out_at = now
            append_event(
                work,
                sign_in.hall_id,
                EventKind.CLERK_SIGNED_OUT,
                now,
                window=sign_in.window_no,
                payload={
                    "name": user.name,
                    "staff_no": user.staff_no,
                    "reason": "account_disabled",
                    "signed_in_seconds": int((now - sign_in.signed_in_at).total_seconds()),
                },
            )

    def reset_password(self, staff_no: str, password: str) -> UserView:
        digest = self._hash(password, staff_no)
        now = self.clock.now()
        with self.db.write() as work:
            row = self._user(work.session, staff_no)
            row.password_hash = digest
            self._revoke_all(work.session, row.id, now)
            return UserView.of(row)

    # ----- logging in and out ------------------------------------------------------------

    def login(self, staff_no: str, password: str, address: str) -> Login:
        staff_no = staff_no.strip()
        address = address[:64]
        now = self.clock.now()
        with self.db.read() as session:
            failures = _failures(session.get(LoginFailure, (staff_no, address)))
            from_address = _failures(session.get(LoginFailure, (ANY_ACCOUNT, address)))
            user = session.scalars(select(User).where(User.staff_no == staff_no)).first()
            stored = user.password_hash if user is not None and user.active else None
            user_id = user.id if user is not None else None
        wait = retry_after(from_address, now)
        if wait is not None:
            raise Throttled(
                f"too many failed logins from this address; try again in {wait} seconds", wait
            )
        wait = retry_after(failures, now)
        if wait is not None:
            raise Throttled(
                f"too many failed logins for {staff_no} from this address; try again in "
                f"{wait} seconds",
                wait,
            )
        # Outside any transaction: argon2 takes a good fraction of a second on purpose.
        if not self._verify(stored, password) or user_id is None:
            self._record_failure(staff_no, address, now, self.throttle)
            # One password tried across many staff numbers is slowed too, per address: else one
            # address could try a common password on every account.
            self._record_failure(ANY_ACCOUNT, address, now, self.address_throttle)
            raise Unauthenticated("wrong staff number or password, or the account is disabled")
        with self.db.write() as work:
            row = work.session.get(LoginFailure, (staff_no, address))
            if row is not None:
                work.session.delete(row)
            if stored is not None and self.hasher.check_needs_rehash(stored):
                account = work.session.get(User, user_id)
                if account is not None:
                    account.password_hash = self.hasher.hash(password)
        return self.open_session(user_id)

    def open_session(self, user_id: str) -> Login:
        """A fresh token for an account (after its password was checked)."""
        now = self.clock.now()
        token = new_token(STAFF_PREFIX)
        with self.db.write() as work:
            user = work.session.get(User, user_id)
            if user is None or not user.active:
                raise Unauthenticated("the account is disabled")
            expires = now + self.session_length
            work.session.add(
                StaffSession(
                    token_hash=token_digest(token),
                    user_id=user_id,
                    created_at=now,
                    expires_at=expires,
                )
            )
            return Login(token, expires, UserView.of(user))

    def logout(self, token: str) -> None:
        now = self.clock.now()
        with self.db.write() as work:
            row = work.session.get(StaffSession, token_digest(token))
            if row is not None and row.revoked_at is None:
                row.revoked_at = now

    # ----- helpers -----------------------------------------------------------------------

    def _hash(self, password: str, staff_no: str) -> str:
        check_new_password(password, staff_no)
        return self.hasher.hash(password)

    def _verify(self, stored: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(stored or self._decoy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def _record_failure(
        self, staff_no: str, address: str, now: datetime, policy: ThrottlePolicy
    ) -> None:
        with self.db.write() as work:
            row = work.session.get(LoginFailure, (staff_no, address))
            counted = after_failure(_failures(row), now, policy)
            if row is None:
                row = LoginFailure(staff_no=staff_no, address=address)
                work.session.add(row)
            row.count = counted.count
            row.last_at = now
            row.locked_until = counted.locked_until

    @staticmethod
    def _user(session: Session, staff_no: str) -> User:
        row = session.scalars(select(User).where(User.staff_no == staff_no.strip())).first()
        if row is None:
            raise NotFound(f"no account with staff number {staff_no!r}")
        return row

    @staticmethod
    def _revoke_all(session: Session, user_id: str, now: datetime) -> None:
        session.execute(
            update(StaffSession)
            .where(StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )


# The login-failure row that counts an address's failures over every staff number.
ANY_ACCOUNT = "*"
ADDRESS_THROTTLE = ThrottlePolicy(free=20, first_pause=timedelta(seconds=60))


def _failures(row: LoginFailure | None) -> Failures:
    if row is None:
        return NONE
    return Failures(row.count, row.last_at, row.locked_until)


def _staff_no_taken(staff_no: str, hall: str | None) -> Conflict:
    # Logging in asks for the staff number only, so one number is one account in the whole
    # database, whichever hall it works in (docs/access.md).
    where = f" in hall {hall}" if hall else ""
    return Conflict(
        f"staff number {staff_no} already has an account{where}; staff numbers are unique "
        "across all halls of this database (login has no hall field): choose another",
        code="staff_no_taken",
    )
