"""The dashboard's figures written again by hand as plain SQL, for the benchmark to time and to check against.

Each figure is one SQL statement, written from the figure's documented meaning (docs/figures.md) and not from the ORM
code, so that it is a second, independent reading of the definitions: the benchmark fails loudly if the two disagree.
The SQL runs on SQLite and PostgreSQL alike; where they differ (a moment's local day, days between two dates, the
continuous percentile) a small vendor branch fills in the piece.

Each statement returns one row whose columns are the measures of the figure that come straight from SQL (counts,
medians, averages), named as in definitions.py. Why cases stopped returns one row per (step, reason).
"""

# The statements are put together from constants and whole-number service ids only; every value from outside (the
# period's dates) goes in as a query parameter.
# ruff: noqa: S608

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from amends.figures.definitions import Scope
from amends.figures.periods import Period

COMPLETED = "('completed_direct', 'completed_indirect')"
INDIRECT = "('shuttle', 'letters', 'audio', 'video')"
SATISFIED = "(4, 5)"
YES_QUESTIONS = ("would_recommend", "felt_safe", "felt_better", "better_able_to_cope", "better_able_to_recover")
CLOCKS = (("contact", "first_contact_at"), ("process", "process_started_at"), ("closure", "closed_at"))


def _local_day(column: str) -> str:
    """The day in England and Wales of a moment stored in UTC."""
    zone = settings.TIME_ZONE
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{zone}')::date"
    # Django registers this function on every SQLite connection (it is what TruncDate uses there).
    return f"django_datetime_cast_date({column}, '{zone}', 'UTC')"


def _days(start: str, end: str) -> str:
    if connection.vendor == "postgresql":
        return f"({end} - {start})"
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def _yes(condition: str) -> str:
    """A count of the rows meeting the condition (0, never NULL, when there are none)."""
    return f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"


def _in(services: str) -> str:
    return f"IN ({services})"


def referrals(services: str) -> str:
    return f"""
        SELECT COUNT(*) AS received,
               {_yes("decision = 'accepted'")} AS accepted,
               {_yes("decision = 'declined'")} AS declined,
               {_yes("decision = 'redirected'")} AS redirected,
               {_yes("decision = 'awaiting'")} AS awaiting
        FROM referrals_referral
        WHERE service_id {_in(services)} AND received_on >= %(start)s AND received_on <= %(end)s
    """


def victims_code(services: str) -> str:
    return f"""
        SELECT COUNT(*) AS referrals,
               {_yes("victim_told_about_rj_on IS NOT NULL")} AS told,
               {_yes("victim_told_about_rj_on IS NOT NULL AND right_3_due_on IS NOT NULL")} AS clocked,
               {_yes("victim_told_about_rj_on <= right_3_due_on")} AS in_time
        FROM referrals_referral
        WHERE service_id {_in(services)} AND received_on >= %(start)s AND received_on <= %(end)s
    """


def offered(services: str) -> str:
    informed = "EXISTS (SELECT 1 FROM consent_informationgiven i WHERE i.participant_id = p.id)"
    consented = "EXISTS (SELECT 1 FROM consent_consentrecord k WHERE k.participant_id = p.id AND k.kind = 'given')"
    return f"""
        SELECT COUNT(*) AS people,
               {_yes(informed)} AS offered,
               {_yes(f"{informed} AND {consented}")} AS accepted
        FROM people_participant p
        JOIN cases_case c ON c.id = p.case_id
        JOIN referrals_referral r ON r.case_id = c.id
        WHERE c.service_id {_in(services)} AND p.role = 'person_harmed'
          AND r.received_on >= %(start)s AND r.received_on <= %(end)s
    """


def funnel(services: str) -> str:
    return f"""
        SELECT COUNT(*) AS step_0,
               COUNT(c.id) AS step_1,
               COUNT(c.first_contact_at) AS step_2,
               COUNT(c.suitable_at) AS step_3,
               COUNT(c.process_started_at) AS step_4,
               {_yes(f"c.closure_reason IN {COMPLETED}")} AS step_5
        FROM referrals_referral r
        LEFT JOIN cases_case c ON c.id = r.case_id
        WHERE r.service_id {_in(services)} AND r.received_on >= %(start)s AND r.received_on <= %(end)s
    """


def stops(services: str) -> str:
    return f"""
        SELECT step, reason, COUNT(*) AS referrals FROM (
            SELECT CASE WHEN c.closure_reason IN {COMPLETED} THEN 5
                        WHEN c.process_started_at IS NOT NULL THEN 4
                        WHEN c.suitable_at IS NOT NULL THEN 3
                        WHEN c.first_contact_at IS NOT NULL THEN 2
                        WHEN c.id IS NOT NULL THEN 1
                        ELSE 0 END AS step,
                   CASE WHEN r.decision <> 'accepted' THEN r.decision
                        WHEN c.closure_reason = '' THEN 'open'
                        ELSE c.closure_reason END AS reason
            FROM referrals_referral r
            LEFT JOIN cases_case c ON c.id = r.case_id
            WHERE r.service_id {_in(services)} AND r.received_on >= %(start)s AND r.received_on <= %(end)s
        ) stopped
        GROUP BY step, reason
    """


def processes(services: str) -> str:
    return f"""
        SELECT COUNT(*) AS processes,
               {_yes(f"process_kind NOT IN {INDIRECT}")} AS direct,
               {_yes(f"process_kind IN {INDIRECT}")} AS indirect,
               {_yes("process_kind = 'virtual'")} AS "virtual",
               {_yes(f"closure_reason IN {COMPLETED}")} AS completed
        FROM cases_case
        WHERE service_id {_in(services)}
          AND process_started_at >= %(start_moment)s AND process_started_at < %(end_moment)s
    """


def agreements(services: str) -> str:
    return f"""
        SELECT COUNT(DISTINCT a.id) AS agreements,
               COUNT(x.id) AS actions_agreed,
               {_yes("x.status = 'completed'")} AS completed,
               {_yes("x.status = 'not_completed'")} AS not_completed,
               {_yes("x.status = 'open'")} AS "open",
               {_yes("x.status = 'withdrawn'")} AS withdrawn,
               {_yes("x.status IN ('completed', 'not_completed')")} AS resolved
        FROM outcomes_outcomeagreement a
        JOIN cases_case c ON c.id = a.case_id
        LEFT JOIN outcomes_agreementaction x ON x.agreement_id = a.id
        WHERE c.service_id {_in(services)} AND a.made_on >= %(start)s AND a.made_on <= %(end)s
    """


def timeliness(services: str) -> str:
    if connection.vendor == "postgresql":
        columns = []
        for key, column in CLOCKS:
            ended = f"c.{column} >= %(start_moment)s AND c.{column} < %(end_moment)s"
            days = _days("r.received_on", _local_day(f"c.{column}"))
            columns += [
                f"{_yes(ended)} AS {key}_cases",
                f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {days}) FILTER (WHERE {ended}) AS {key}_median",
                f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {days}) FILTER (WHERE {ended}) AS {key}_p90",
            ]
        return f"""
            SELECT {", ".join(columns)}
            FROM cases_case c JOIN referrals_referral r ON r.case_id = c.id
            WHERE c.service_id {_in(services)}
        """
    # SQLite has no percentile: number each clock's days in order, then interpolate between the two nearest, as
    # percentile_cont does, at position fraction * (n - 1).
    ctes, selects = [], []
    for key, column in CLOCKS:
        days = _days("r.received_on", _local_day(f"c.{column}"))
        ctes.append(
            f"""{key} AS (
                SELECT d, ROW_NUMBER() OVER (ORDER BY d) - 1 AS i, COUNT(*) OVER () AS n FROM (
                    SELECT {days} AS d FROM cases_case c JOIN referrals_referral r ON r.case_id = c.id
                    WHERE c.service_id {_in(services)}
                      AND c.{column} >= %(start_moment)s AND c.{column} < %(end_moment)s
                ) found
            )"""
        )
        parts = [f"COALESCE(MAX(n), 0) AS {key}_cases"]
        for name, fraction in (("median", 0.5), ("p90", 0.9)):
            position = f"({fraction} * (n - 1))"
            lower = f"MAX(CASE WHEN i = CAST({position} AS INTEGER) THEN d END)"
            upper = f"COALESCE(MAX(CASE WHEN i = CAST({position} AS INTEGER) + 1 THEN d END), {lower})"
            weight = f"MAX({position} - CAST({position} AS INTEGER))"
            parts.append(f"{lower} + ({upper} - {lower}) * {weight} AS {key}_{name}")
        selects.append(f"(SELECT {', '.join(parts)} FROM {key}) {key}_values")
    return f"WITH {', '.join(ctes)} SELECT * FROM {' CROSS JOIN '.join(selects)}"


def feedback(services: str) -> str:
    both = "s.fear_before IS NOT NULL AND s.fear_after IS NOT NULL"
    columns = [
        "COUNT(*) AS surveys",
        f"{_yes('s.satisfaction IS NOT NULL')} AS satisfaction_answered",
        f"{_yes(f's.satisfaction IN {SATISFIED}')} AS satisfied",
        f"{_yes(both)} AS fear_answered",
        f"AVG(CASE WHEN {both} THEN s.fear_before END) AS fear_before_mean",
        f"AVG(CASE WHEN {both} THEN s.fear_after END) AS fear_after_mean",
    ]
    for name in YES_QUESTIONS:
        answered, yes = f"s.{name} <> ''", f"s.{name} = 'yes'"
        columns += [f"{_yes(answered)} AS {name}_answered", f"{_yes(yes)} AS {name}_yes"]
    return f"""
        SELECT {", ".join(columns)}
        FROM followup_feedbacksurvey s JOIN cases_case c ON c.id = s.case_id
        WHERE c.service_id {_in(services)} AND s.taken_on >= %(start)s AND s.taken_on <= %(end)s
    """


def reoffending(services: str) -> str:
    later = """
        SELECT 1 FROM followup_reoffendingcheck l
        WHERE l.participant_id = k.participant_id AND l.offences_after IS NOT NULL
          AND (l.checked_on > k.checked_on OR (l.checked_on = k.checked_on AND l.id > k.id))
    """
    return f"""
        SELECT COUNT(*) AS people,
               COALESCE(SUM(k.offences_before), 0) AS "before",
               COALESCE(SUM(k.offences_after), 0) AS "after"
        FROM followup_reoffendingcheck k JOIN cases_case c ON c.id = k.case_id
        WHERE c.service_id {_in(services)} AND k.process_on >= %(start)s AND k.process_on <= %(end)s
          AND k.offences_after IS NOT NULL AND NOT EXISTS ({later})
    """


def practitioners(services: str) -> str:
    supervised = """EXISTS (
        SELECT 1 FROM accounts_supervisionsession s JOIN accounts_facilitatorrecord sf ON sf.id = s.record_id
        WHERE sf.user_id = m.user_id AND s.held_on > %(supervised_after)s AND s.held_on <= %(end)s)"""
    hours = """(
        SELECT COALESCE(SUM(h.hours), 0) FROM accounts_cpdrecord h
        WHERE h.record_id = f.id AND h.completed_on > %(cpd_after)s AND h.completed_on <= %(end)s)"""
    target = "CASE f.rjc_level WHEN 'foundation' THEN 6 WHEN 'intermediate' THEN 12 WHEN 'advanced' THEN 16 END"
    registered = (
        "f.registration_number <> '' AND (f.registration_expires_on IS NULL OR f.registration_expires_on >= %(end)s)"
    )
    return f"""
        SELECT COUNT(DISTINCT m.user_id) AS practitioners,
               COUNT(DISTINCT CASE WHEN {supervised} THEN m.user_id END) AS supervised,
               COUNT(DISTINCT CASE WHEN {hours} >= {target} THEN m.user_id END) AS cpd_met,
               COUNT(DISTINCT CASE WHEN {registered} THEN m.user_id END) AS registered
        FROM accounts_membership m
        JOIN accounts_user u ON u.id = m.user_id
        LEFT JOIN accounts_facilitatorrecord f ON f.user_id = m.user_id
        WHERE m.service_id {_in(services)} AND m.role = 'facilitator' AND u.is_active
          AND m.created_at < %(end_moment)s AND (m.ended_at IS NULL OR m.ended_at >= %(end_moment)s)
    """


def welsh(services: str) -> str:
    return f"""
        SELECT COUNT(*) AS participants,
               {_yes("n.correspondence_language <> ''")} AS asked,
               {_yes("n.correspondence_language IN ('cy', 'both')")} AS welsh
        FROM people_participant p
        JOIN people_person n ON n.id = p.person_id
        JOIN cases_case c ON c.id = p.case_id
        JOIN referrals_referral r ON r.case_id = c.id
        WHERE c.service_id {_in(services)} AND r.received_on >= %(start)s AND r.received_on <= %(end)s
    """


def youth_panels(services: str) -> str:
    involvement = "o.victim_involvement"
    reasons = {
        "not_invited_no_victim": "no_identifiable_victim",
        "not_invited_asked_not_to_be_contacted": "asked_not_to_be_contacted",
        "not_invited_not_contactable": "could_not_be_contacted",
        "not_invited_not_safe": "not_safe_or_suitable",
        "not_invited_other": "other",
    }
    choices = {"declined_statement": "statement", "declined_other_way": "other_way", "declined_neither": "neither"}
    not_invited = f"{involvement} = 'not_invited' AND o.not_invited_reason"
    declined = f"{involvement} = 'declined' AND o.declined_contribution"
    by_reason = ",\n".join(f"{_yes(f'{not_invited} = {value!r}')} AS {name}" for name, value in reasons.items())
    by_choice = ",\n".join(f"{_yes(f'{declined} = {value!r}')} AS {name}" for name, value in choices.items())
    return f"""
        SELECT COUNT(*) AS orders,
               {_yes(f"{involvement} <> ''")} AS decided,
               {_yes(f"{involvement} IN ('invited', 'attending', 'declined')")} AS invited,
               {_yes(f"{involvement} = 'attending'")} AS attending,
               {_yes(f"{involvement} = 'invited'")} AS awaited,
               {_yes(f"{involvement} = 'declined'")} AS declined,
               {by_choice},
               {_yes(f"{involvement} = 'not_invited'")} AS not_invited,
               {by_reason}
        FROM youth_referralorder o
        JOIN cases_case c ON c.id = o.case_id
        WHERE c.service_id {_in(services)} AND o.made_on >= %(start)s AND o.made_on <= %(end)s
    """


def complaints(services: str) -> str:
    answered = "kind = 'complaint' AND responded_on IS NOT NULL AND outcome <> 'withdrawn'"
    days = _days("received_on", "responded_on")
    if connection.vendor == "postgresql":
        median = f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {days}) FILTER (WHERE {answered})"
    else:
        # SQLite: the middle value, or the mean of the two middle values, by position among the answered.
        median = f"""(SELECT AVG(d) FROM (
            SELECT {days} AS d FROM complaints_complaint
            WHERE service_id {_in(services)} AND received_on >= %(start)s AND received_on <= %(end)s AND {answered}
            ORDER BY d
            LIMIT 2 - (SELECT COUNT(*) FROM complaints_complaint WHERE service_id {_in(services)}
                       AND received_on >= %(start)s AND received_on <= %(end)s AND {answered}) %% 2
            OFFSET ((SELECT COUNT(*) FROM complaints_complaint WHERE service_id {_in(services)}
                     AND received_on >= %(start)s AND received_on <= %(end)s AND {answered}) - 1) / 2
        ) middle)"""
    return f"""
        SELECT {_yes("kind = 'complaint'")} AS complaints,
               {_yes("kind = 'compliment'")} AS compliments,
               {_yes(answered)} AS answered,
               {_yes(f"{answered} AND responded_on <= due_on")} AS answered_in_time,
               {median} AS median_days,
               {_yes("kind = 'complaint' AND outcome IN ('upheld', 'partly_upheld')")} AS upheld,
               {_yes("kind = 'complaint' AND escalated_on IS NOT NULL")} AS escalated
        FROM complaints_complaint
        WHERE service_id {_in(services)} AND received_on >= %(start)s AND received_on <= %(end)s
    """


@dataclass(frozen=True)
class RawFigure:
    key: str
    sql: Callable[[str], str]


RAW_FIGURES = tuple(
    RawFigure(function.__name__, function)
    for function in (
        referrals,
        victims_code,
        offered,
        funnel,
        stops,
        processes,
        agreements,
        timeliness,
        feedback,
        reoffending,
        practitioners,
        welsh,
        youth_panels,
        complaints,
    )
)
RAW_BY_KEY = {figure.key: figure for figure in RAW_FIGURES}


def parameters(period: Period) -> dict[str, Any]:
    start_moment, end_moment = period.bounds()
    operations = connection.ops
    return {
        "start": operations.adapt_datefield_value(period.start),
        "end": operations.adapt_datefield_value(period.end),
        "start_moment": operations.adapt_datetimefield_value(start_moment),
        "end_moment": operations.adapt_datetimefield_value(end_moment),
        "supervised_after": operations.adapt_datefield_value(period.end - datetime.timedelta(weeks=12)),
        "cpd_after": operations.adapt_datefield_value(period.end - datetime.timedelta(days=365)),
    }


def run(figure: RawFigure, scope: Scope, period: Period) -> list[dict[str, Any]]:
    """The figure's rows, each a dict of column name to value."""
    services = ", ".join(str(int(pk)) for pk in scope.service_ids)  # whole numbers only: safe to write in
    with connection.cursor() as cursor:
        cursor.execute(figure.sql(services), parameters(period))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
