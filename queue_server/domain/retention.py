"""How long the hall keeps personal data, by category (data retention rules).

Personal data (names, phones, ID numbers, free-text notes about a visitor) is kept only as
long as the hall needs it to serve the visitor, then purged; the anonymous facts (a ticket
was issued at 09:12 for service SOC, a booking was checked in, a complaint was upheld) stay
for the reports and the monthly assessment. The ages are in whole days counted back from
"now"; a row whose age column is empty (say, a complaint not closed yet) is never purged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum


class RetentionCategory(StrEnum):
    """Which clock a piece of personal data follows."""

    # Names, phones and ID numbers given when booking an appointment.
    BOOKING = "booking"
    # Personal data tied to one visit: follow-up phone numbers, clerks' notes on a ticket.
    VISIT = "visit"
    # Complainant's identity and contact, kept confidential (DOMAIN.md, "Supervision");
    # counted from the complaint's closure.
    COMPLAINT = "complaint"


@dataclass(frozen=True)
class RetentionPeriods:
    """Days each category is kept; defaults: bookings 90, visits 30 (docs/deploy.md).

    Complaints are kept a year after closure: the register is revisited and the yearly
    assessment summary is computed from the months, so the complainant must stay reachable
    that long. A hall changes these in its TOML `[retention]` section.
    """

    booking_days: int = 90
    visit_days: int = 30
    complaint_days: int = 365

    def days(self, category: RetentionCategory) -> int:
        return {
            RetentionCategory.BOOKING: self.booking_days,
            RetentionCategory.VISIT: self.visit_days,
            RetentionCategory.COMPLAINT: self.complaint_days,
        }[category]

    def cutoff(self, category: RetentionCategory, now: datetime) -> datetime:
        """Rows whose age column is before this instant (UTC) are purged."""
        return now.astimezone(UTC) - timedelta(days=self.days(category))

    def cutoff_day(self, category: RetentionCategory, now: datetime) -> date:
        """For date columns (a business day): days strictly before this one are purged."""
        return self.cutoff(category, now).date()
