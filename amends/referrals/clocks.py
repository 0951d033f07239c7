"""The Victims' Code clocks on a referral, in working days of England and Wales."""

import datetime
from dataclasses import dataclass

from amends.core.workdays import add_working_days
from amends.referrals.models import Referral

RIGHT_3_WORKING_DAYS = 5
RIGHT_3_ENHANCED_WORKING_DAYS = 1
RIGHT_4_WORKING_DAYS = 2


def right_3_due(reported_on: datetime.date, enhanced: bool) -> datetime.date:
    """Right 3: told about RJ within 5 working days of reporting the crime, 1 with enhanced rights."""
    return add_working_days(reported_on, RIGHT_3_ENHANCED_WORKING_DAYS if enhanced else RIGHT_3_WORKING_DAYS)


def right_4_due(start: datetime.date) -> datetime.date:
    """Right 4: referred to a support service, RJ included, within 2 working days."""
    return add_working_days(start, RIGHT_4_WORKING_DAYS)


@dataclass(frozen=True)
class VictimsCodeClocks:
    right_3_due: datetime.date | None
    # None: not known yet (the person harmed has not been told, or the report date is unknown).
    right_3_met: bool | None
    right_4_due: datetime.date | None
    right_4_met: bool | None


def victims_code_clocks(referral: Referral) -> VictimsCodeClocks:
    """Whether the referral met the Victims' Code clocks, measured from the date the crime was reported."""
    if referral.reported_on is None:
        return VictimsCodeClocks(None, None, None, None)
    due_3 = right_3_due(referral.reported_on, bool(referral.enhanced_rights))
    told = referral.victim_told_about_rj_on
    due_4 = right_4_due(referral.reported_on)
    return VictimsCodeClocks(
        right_3_due=due_3,
        right_3_met=None if told is None else told <= due_3,
        right_4_due=due_4,
        right_4_met=referral.received_on <= due_4,
    )
