"""A large, realistic synthetic dataset for one service, written fast, for `manage.py bench_figures`.

Everything goes in with bulk_create, a batch of cases at a time: referrals (most accepted, some declined, redirected
or awaiting triage), cases with their milestones, process kinds and closure reasons, participants, the information
given and consent recorded, outcome agreements and their actions, feedback surveys, reoffending checks, equality
answers (with their blind index), and the service's facilitators with supervision, CPD and RJC registration. Dates are
spread over the three financial years before the current one and the current one so far.

Encryption is what makes writing personal data slow, so the builder keeps it out of the way: people come from a small
pool of Person rows that the cases share (a person may take part in many cases), and the encrypted free text nobody
reads here (summaries, notes, evidence) is left empty, encrypted once and written as the same token on every row.
"""

import datetime
import random
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from amends.accounts.models import (
    CPDRecord,
    FacilitatorRecord,
    Membership,
    Organisation,
    OrganisationKind,
    RJCLevel,
    Role,
    Service,
    SupervisionSession,
    User,
)
from amends.cases.models import INDIRECT_PROCESSES, Case, ClosureReason, ProcessKind, SensitivityFlag, State
from amends.complaints.models import Channel as ComplaintChannel
from amends.complaints.models import Complaint, ComplaintKind, EscalatedTo, FromRole
from amends.complaints.models import Outcome as ComplaintOutcome
from amends.consent.models import (
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    InformationFormat,
    InformationGiven,
    InformationItem,
)
from amends.core.fields import EncryptedMixin, encrypt_value
from amends.core.workdays import add_working_days
from amends.figures.periods import financial_year_of
from amends.followup.models import (
    Answer,
    FeedbackSurvey,
    ReoffendingCheck,
    ReoffendingSource,
    Satisfaction,
    SurveyMethod,
)
from amends.outcomes.models import ActionKind, ActionStatus, AgreementAction, OutcomeAgreement
from amends.people.models import (
    EQUALITY_CHOICES,
    EqualityMonitoring,
    Language,
    Participant,
    ParticipantRole,
    Person,
    equality_key,
)
from amends.referrals.clocks import right_3_due
from amends.referrals.models import (
    EnhancedRightsGround,
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    Setting,
    TriageDecision,
)

Progress = Callable[[int, int], None]

NAME_PREFIX = "Benchmark service"
AREAS = ("North", "South", "East", "West")
BATCH = 2_000  # cases built and written at a time
PEOPLE_POOL = 400  # Person rows per role that the cases share
FACILITATORS = 24
LONDON = zoneinfo.ZoneInfo(settings.TIME_ZONE)

SOURCES = (
    (ReferralSource.POLICE, 40),
    (ReferralSource.VICTIM_SERVICE, 14),
    (ReferralSource.PROBATION, 14),
    (ReferralSource.YOUTH_JUSTICE, 10),
    (ReferralSource.PRISON, 6),
    (ReferralSource.COURT, 5),
    (ReferralSource.SELF, 6),
    (ReferralSource.COMMUNITY, 5),
)
OFFENCES = (
    (OffenceCategory.BURGLARY, 18),
    (OffenceCategory.VIOLENCE_WITH_INJURY, 16),
    (OffenceCategory.VIOLENCE_WITHOUT_INJURY, 14),
    (OffenceCategory.THEFT, 14),
    (OffenceCategory.CRIMINAL_DAMAGE, 10),
    (OffenceCategory.ROBBERY, 6),
    (OffenceCategory.VEHICLE_OFFENCE, 5),
    (OffenceCategory.STALKING_HARASSMENT, 5),
    (OffenceCategory.PUBLIC_ORDER, 4),
    (OffenceCategory.FRAUD, 3),
    (OffenceCategory.ANTI_SOCIAL_BEHAVIOUR, 5),
)
STAGES = (
    (JusticeStage.PRE_CHARGE, 25),
    (JusticeStage.OUT_OF_COURT, 15),
    (JusticeStage.COMMUNITY_SENTENCE, 20),
    (JusticeStage.CUSTODY, 15),
    (JusticeStage.ON_LICENCE, 10),
    (JusticeStage.REFERRAL_ORDER, 8),
    (JusticeStage.NOT_REPORTED, 7),
)
PROCESSES = (
    (ProcessKind.FACE_TO_FACE, 40),
    (ProcessKind.VIRTUAL, 10),
    (ProcessKind.SHUTTLE, 15),
    (ProcessKind.LETTERS, 20),
    (ProcessKind.AUDIO, 4),
    (ProcessKind.VIDEO, 3),
    (ProcessKind.CIRCLE, 4),
    (ProcessKind.COMMUNITY_CONFERENCE, 4),
)
LANGUAGES = ((Language.ENGLISH, 60), (Language.WELSH, 8), (Language.BOTH, 6), (Language.UNKNOWN, 26))
NOT_ACCEPTED = ((TriageDecision.DECLINED, 45), (TriageDecision.REDIRECTED, 30), (TriageDecision.AWAITING, 25))
STOPPED_BEFORE_CONTACT = (ClosureReason.NO_CONTACT, ClosureReason.OUT_OF_SCOPE, ClosureReason.TRANSFERRED)
STOPPED_BEFORE_SUITABLE = (
    ClosureReason.HARMED_DECLINED,
    ClosureReason.RESPONSIBLE_DECLINED,
    ClosureReason.DENIES_RESPONSIBILITY,
    ClosureReason.UNSUITABLE,
)
STOPPED_BEFORE_PROCESS = (
    ClosureReason.CONSENT_WITHDRAWN_HARMED,
    ClosureReason.CONSENT_WITHDRAWN_RESPONSIBLE,
    ClosureReason.OTHER,
)
# Every table the builder writes (their primary keys are given by hand, so PostgreSQL's sequences are moved after).
WRITTEN = [
    User,
    Membership,
    FacilitatorRecord,
    SupervisionSession,
    CPDRecord,
    Person,
    EqualityMonitoring,
    Case,
    Referral,
    Participant,
    InformationGiven,
    ConsentRecord,
    OutcomeAgreement,
    AgreementAction,
    FeedbackSurvey,
    ReoffendingCheck,
    Complaint,
]
ANSWERS = ((Answer.YES, 70), (Answer.NO, 12), (Answer.NOT_SURE, 8), ("", 10))


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _weight in choices], [weight for _value, weight in choices])[0]


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in working hours on the day, in England and Wales."""
    return datetime.datetime.combine(day, datetime.time(9 + rng.randrange(9), rng.randrange(60)), tzinfo=LONDON)


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How one field's value is written: as Django would write it, without its per-value overhead."""
    operations = connection.ops
    if isinstance(field, EncryptedMixin):
        tokens: dict[Any, str] = {}

        def sealed(value: Any) -> Any:
            # The same value is encrypted once and its token reused: a throwaway dataset, written fast.
            if value is None:
                return None
            key = (type(value), repr(value))  # repr: a list (accessibility needs) is not hashable
            if key not in tokens:
                tokens[key] = encrypt_value(field.serialise(field.to_python(value)))
            return tokens[key]

        return sealed
    if isinstance(field, models.DateTimeField):
        return operations.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return operations.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: operations.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DecimalField):
        return lambda value: operations.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return lambda value: value


def _insert[M: models.Model](model: type[M], rows: list[M]) -> list[M]:
    """Write the rows with multi-row INSERTs, giving each its primary key first (the builder is the only writer)."""
    if not rows:
        return rows
    fields = list(model._meta.concrete_fields)
    adapters = [_adapter(field) for field in fields]
    stamped = [getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) for field in fields]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")  # noqa: S608 - a table name from the model
        (last,) = cursor.fetchone() or (None,)
        first = (last or 0) + 1
        values = []
        for offset, row in enumerate(rows):
            row.pk = first + offset
            values.append(
                [
                    adapt(now if stamp and getattr(row, field.attname) is None else getattr(row, field.attname))
                    for field, adapt, stamp in zip(fields, adapters, stamped, strict=True)
                ]
            )
        columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, 30_000 // len(fields))  # within SQLite's limit on parameters
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
    for row in rows:
        row._state.adding = False
    return rows


def reset_sequences() -> None:
    """After writing primary keys by hand, PostgreSQL's sequences must be moved past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), WRITTEN)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def bench_name(cases: int) -> str:
    return f"{NAME_PREFIX}: {cases} cases"


def find(cases: int) -> Service | None:
    """A complete benchmark service built earlier with the same number of cases."""
    return Service.objects.filter(name=bench_name(cases)).first()


def _free_code() -> str:
    taken = set(Service.objects.filter(code__startswith="BZ").values_list("code", flat=True))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return next(f"BZ{a}{b}" for a in letters for b in letters if f"BZ{a}{b}" not in taken)


def create_service(cases: int) -> Service:
    """A fresh, empty service for the benchmark, named as building until `build` finishes."""
    organisation, _created = Organisation.objects.get_or_create(
        name="Benchmark provider", defaults={"kind": OrganisationKind.RJ_PROVIDER}
    )
    code = _free_code()
    return Service.objects.create(
        organisation=organisation,
        name=f"{NAME_PREFIX} {code} (building {cases} cases)",
        code=code,
        areas_covered=", ".join(AREAS),
    )


class _Staff:
    """The service's facilitators, with a record, supervision, CPD and registration of every kind."""

    def __init__(self, service: Service, rng: random.Random, today: datetime.date) -> None:
        users = _insert(
            User,
            [
                User(
                    email=f"bench-{service.code.lower()}-{number}@bench.amends.example",
                    full_name=f"Facilitator {number}",
                    password="!unusable",  # noqa: S106 - an unusable password: nobody signs in as these
                )
                for number in range(FACILITATORS)
            ],
        )
        self.users = users
        joined = datetime.datetime.combine(today.replace(year=today.year - 4), datetime.time(9), tzinfo=LONDON)
        memberships = _insert(
            Membership, [Membership(user=user, service=service, role=Role.FACILITATOR) for user in users]
        )
        # Most joined four years ago; two joined this month; one left a year ago.
        Membership.objects.filter(pk__in=[m.pk for m in memberships[:-2]]).update(created_at=joined)
        Membership.objects.filter(pk=memberships[0].pk).update(ended_at=timezone.now() - datetime.timedelta(days=365))
        levels = (RJCLevel.FOUNDATION, RJCLevel.INTERMEDIATE, RJCLevel.ADVANCED)
        records = _insert(
            FacilitatorRecord,
            [
                FacilitatorRecord(
                    user=user,
                    rjc_level=levels[number % 3],
                    registration_number="" if number % 7 == 3 else f"RJC-B{number:04d}",
                    registration_expires_on=today + datetime.timedelta(days=rng.randrange(-400, 700)),
                )
                for number, user in enumerate(users)
            ],
        )
        sessions, cpd = [], []
        for number, record in enumerate(records):
            day = today - datetime.timedelta(days=4 * 365)
            gap = 50 if number % 4 else 110  # every fourth lets supervision lapse
            while day <= today:
                sessions.append(SupervisionSession(record=record, service=service, supervisor=users[-1], held_on=day))
                day += datetime.timedelta(days=gap + rng.randrange(-10, 20))
            for _activity in range(4 * 4):
                completed_on = today - datetime.timedelta(days=rng.randrange(4 * 365))
                cpd.append(
                    CPDRecord(
                        record=record,
                        activity="Training",
                        completed_on=completed_on,
                        hours=Decimal(rng.choice((1, 2, 3, 4, 6))),
                    )
                )
        _insert(SupervisionSession, sessions)
        _insert(CPDRecord, cpd)


class _People:
    """The pool of people the cases share, each role its own, some with equality answers."""

    def __init__(self, service: Service, rng: random.Random, recorder: User) -> None:
        self.pool: dict[str, list[Person]] = {}
        for role in (ParticipantRole.PERSON_HARMED, ParticipantRole.PERSON_RESPONSIBLE, ParticipantRole.SUPPORTER):
            people = [
                Person(
                    service=service,
                    given_name=f"P{number}",
                    date_of_birth=None,
                    correspondence_language=_weighted(rng, LANGUAGES),
                )
                for number in range(PEOPLE_POOL)
            ]
            self.pool[role] = _insert(Person, people)
        answers = []
        for people in self.pool.values():
            for person in people:
                if rng.random() < 0.3:
                    continue  # no equality monitoring
                values = {
                    name: rng.choice([value for value, _label in choices] + [""])
                    for name, choices in EQUALITY_CHOICES.items()
                }
                answers.append(
                    EqualityMonitoring(
                        person=person,
                        recorded_by=recorder,
                        keys={name: equality_key(name, value) for name, value in values.items() if value},
                        **values,
                    )
                )
        _insert(EqualityMonitoring, answers)

    def pick(self, role: str, rng: random.Random) -> Person:
        return rng.choice(self.pool[role])


def _days(rng: random.Random, low: int, high: int) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(low, high))


def build(cases: int, service: Service, progress: Progress | None = None, seed: int = 5) -> Service:
    """Fill the service with `cases` cases (and a quarter as many referrals not accepted), then give it its final
    name so that `find` knows it is complete."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    today = timezone.localdate()
    first_day = datetime.date(financial_year_of(today) - 3, 4, 1)
    span = (today - first_day).days
    staff = _Staff(service, rng, today)
    people = _People(service, rng, staff.users[-1])
    due_cache: dict[tuple[datetime.date, bool], datetime.date] = {}
    done = 0
    number = 0
    while done < cases:
        size = min(BATCH, cases - done)
        with transaction.atomic():
            number = _write_batch(
                size=size,
                number=number,
                service=service,
                rng=rng,
                today=today,
                first_day=first_day,
                span=span,
                total=cases,
                staff=staff.users,
                people=people,
                due_cache=due_cache,
            )
        done += size
        if progress is not None:
            progress(done, cases)
    reset_sequences()
    service.name = bench_name(cases)
    service.save(update_fields=["name"])
    return service


def _referral(
    *,
    service: Service,
    rng: random.Random,
    received_on: datetime.date,
    today: datetime.date,
    entered_by: User,
    due_cache: dict[tuple[datetime.date, bool], datetime.date],
) -> Referral:
    reported_on = received_on - _days(rng, 0, 40) if rng.random() < 0.85 else None
    enhanced = EnhancedRightsGround.VULNERABLE_OR_INTIMIDATED if rng.random() < 0.1 else EnhancedRightsGround.NONE
    due = None
    if reported_on is not None:
        key = (reported_on, bool(enhanced))
        due = due_cache.get(key) or due_cache.setdefault(key, right_3_due(reported_on, bool(enhanced)))
    told_on = None
    if rng.random() < 0.8:
        told_on = min((reported_on or received_on) + _days(rng, 0, 10), today)
    return Referral(
        service=service,
        received_on=received_on,
        source=_weighted(rng, SOURCES),
        entered_by=entered_by,
        offence_category=_weighted(rng, OFFENCES),
        justice_stage=_weighted(rng, STAGES),
        area=rng.choice(AREAS) if rng.random() < 0.9 else "",
        initiated_by=Initiator.REFERRER,
        setting=Setting.CRIMINAL_JUSTICE,
        enhanced_rights=enhanced,
        reported_on=reported_on,
        right_3_due_on=due,
        victim_told_about_rj_on=told_on,
        victim_told_about_rj_by="Police" if told_on else "",
    )


def _case_plan(
    rng: random.Random, received_on: datetime.date, now: datetime.datetime, today: datetime.date
) -> dict[str, Any]:
    """Where one case got to and when: each milestone later than the one before, none in the future."""
    opened = _moment(received_on + _days(rng, 0, 5), rng)
    plan: dict[str, Any] = {"opened_at": min(opened, now), "kind": "", "closed": None, "reason": ""}
    contact = suitable = process = None
    if rng.random() < 0.9:
        contact = opened + _days(rng, 0, 25)
    if contact and rng.random() < 0.72:
        suitable = contact + _days(rng, 5, 60)
        plan["kind"] = _weighted(rng, PROCESSES)
    if suitable and rng.random() < 0.85:
        process = suitable + _days(rng, 7, 90)
    milestones = [moment if moment is not None and moment <= now else None for moment in (contact, suitable, process)]
    # A milestone not reached yet means the later ones are not either.
    for index in range(1, 3):
        if milestones[index - 1] is None:
            milestones[index] = None
    contact, suitable, process = milestones
    plan.update(first_contact_at=contact, suitable_at=suitable, process_started_at=process)
    if process is not None:
        closed = process + _days(rng, 30, 220)
        if closed <= now and rng.random() < 0.9:
            indirect = plan["kind"] in INDIRECT_PROCESSES
            plan["closed"] = closed
            plan["reason"] = ClosureReason.COMPLETED_INDIRECT if indirect else ClosureReason.COMPLETED_DIRECT
            plan["state"] = State.CLOSED
        else:
            plan["state"] = State.FOLLOWING_UP if closed <= now else State.AGREEMENT_MONITORING
    else:
        last = suitable or contact or plan["opened_at"]
        closed = last + _days(rng, 5, 90)
        if closed <= now and rng.random() < 0.8:
            reasons = (
                STOPPED_BEFORE_PROCESS if suitable else STOPPED_BEFORE_SUITABLE if contact else STOPPED_BEFORE_CONTACT
            )
            plan["closed"], plan["reason"], plan["state"] = closed, rng.choice(reasons), State.CLOSED
        else:
            plan["state"] = State.PREPARING if suitable else State.ASSESSING if contact else State.CONTACTING
    plan["process_on"] = timezone.localdate(process) if process else None
    plan["contact_on"] = timezone.localdate(contact) if contact else None
    plan["suitable_on"] = timezone.localdate(suitable) if suitable else None
    return plan


def _write_batch(
    *,
    size: int,
    number: int,
    service: Service,
    rng: random.Random,
    today: datetime.date,
    first_day: datetime.date,
    span: int,
    total: int,
    staff: list[User],
    people: _People,
    due_cache: dict[tuple[datetime.date, bool], datetime.date],
) -> int:
    now = timezone.now()
    cases: list[Case] = []
    plans: list[dict[str, Any]] = []
    referrals: list[Referral] = []
    for _index in range(size):
        number += 1
        # Referrals arrive day after day, so the rows lie in the order received, as they do in a real service.
        received_on = first_day + datetime.timedelta(days=min(span - 1, span * number // total + rng.randrange(3)))
        referral = _referral(
            service=service,
            rng=rng,
            received_on=received_on,
            today=today,
            entered_by=staff[-1],
            due_cache=due_cache,
        )
        plan = _case_plan(rng, received_on, now, today)
        flags = []
        if rng.random() < 0.08:
            flags.append(SensitivityFlag.CHILD_PARTICIPANT.value)
        if referral.justice_stage == JusticeStage.CUSTODY:
            flags.append(SensitivityFlag.CUSTODY.value)
        cases.append(
            Case(
                service=service,
                reference=f"{service.code}-{number:08d}",
                state=plan["state"],
                lead_facilitator=rng.choice(staff),
                sensitivity_flags=sorted(flags),
                process_kind=plan["kind"],
                opened_at=plan["opened_at"],
                first_contact_at=plan["first_contact_at"],
                suitable_at=plan["suitable_at"],
                process_started_at=plan["process_started_at"],
                closure_reason=plan["reason"],
                closed_at=plan["closed"],
            )
        )
        plans.append(plan)
        referral.decision = TriageDecision.ACCEPTED
        referrals.append(referral)
        # A quarter as many again are not accepted.
        if rng.random() < 0.25:
            other = _referral(
                service=service,
                rng=rng,
                received_on=received_on,
                today=today,
                entered_by=staff[-1],
                due_cache=due_cache,
            )
            other.decision = _weighted(rng, NOT_ACCEPTED)
            referrals.append(other)
    cases = _insert(Case, cases)
    accepted = iter(cases)
    for referral in referrals:
        if referral.decision == TriageDecision.ACCEPTED:
            referral.case = next(accepted)
    _insert(Referral, referrals)
    _write_people(cases, plans, service, rng, today, staff, people)
    return number


def _write_people(
    cases: list[Case],
    plans: list[dict[str, Any]],
    service: Service,
    rng: random.Random,
    today: datetime.date,
    staff: list[User],
    people: _People,
) -> None:
    participants: list[Participant] = []
    for case in cases:
        participants.append(
            Participant(
                case=case, person=people.pick(ParticipantRole.PERSON_HARMED, rng), role=ParticipantRole.PERSON_HARMED
            )
        )
        participants.append(
            Participant(
                case=case,
                person=people.pick(ParticipantRole.PERSON_RESPONSIBLE, rng),
                role=ParticipantRole.PERSON_RESPONSIBLE,
            )
        )
    participants = _insert(Participant, participants)
    supporters = [
        Participant(
            case=harmed.case,
            person=people.pick(ParticipantRole.SUPPORTER, rng),
            role=ParticipantRole.SUPPORTER,
            supports=harmed,
        )
        for harmed in participants[::2]
        if rng.random() < 0.1
    ]
    _insert(Participant, supporters)
    information: list[InformationGiven] = []
    consents: list[ConsentRecord] = []
    agreements: list[OutcomeAgreement] = []
    surveys: list[FeedbackSurvey] = []
    checks: list[ReoffendingCheck] = []
    actions: list[tuple[OutcomeAgreement, list[AgreementAction]]] = []
    for index, (case, plan) in enumerate(zip(cases, plans, strict=True)):
        harmed, responsible = participants[2 * index], participants[2 * index + 1]
        facilitator = case.lead_facilitator
        assert facilitator is not None  # noqa: S101 - every synthetic case has a lead
        if plan["contact_on"]:
            information.append(
                InformationGiven(
                    participant=harmed,
                    items=[InformationItem.PROCESS.value],
                    given_on=plan["contact_on"],
                    format=InformationFormat.PHONE,
                    given_by=facilitator,
                )
            )
        if plan["suitable_on"]:
            for participant in (harmed, responsible):
                if participant is responsible:
                    information.append(
                        InformationGiven(
                            participant=participant,
                            items=[InformationItem.PROCESS.value],
                            given_on=plan["suitable_on"],
                            format=InformationFormat.IN_PERSON,
                            given_by=facilitator,
                        )
                    )
                consents.append(
                    ConsentRecord(
                        participant=participant,
                        kind=ConsentKind.GIVEN,
                        scopes=[ConsentScope.TAKE_PART.value],
                        process_kinds=[plan["kind"]],
                        method=ConsentMethod.WRITTEN,
                        occurred_at=plan["suitable_at"] - datetime.timedelta(days=1),
                        recorded_by=facilitator,
                    )
                )
        process_on = plan["process_on"]
        if process_on is None:
            continue
        if rng.random() < 0.6:
            made_on = min(process_on + _days(rng, 0, 3), today)
            agreement = OutcomeAgreement(case=case, made_on=made_on, recorded_by=facilitator)
            agreements.append(agreement)
            completed = plan["reason"] in (ClosureReason.COMPLETED_DIRECT, ClosureReason.COMPLETED_INDIRECT)
            listed = []
            for _action in range(rng.randint(1, 3)):
                if completed:
                    status = _weighted(
                        rng,
                        ((ActionStatus.COMPLETED, 80), (ActionStatus.NOT_COMPLETED, 10), (ActionStatus.WITHDRAWN, 10)),
                    )
                else:
                    status = _weighted(rng, ((ActionStatus.OPEN, 60), (ActionStatus.COMPLETED, 40)))
                resolved = status != ActionStatus.OPEN
                listed.append(
                    AgreementAction(
                        agreement=agreement,
                        kind=rng.choice((ActionKind.APOLOGY, ActionKind.EXPLANATION, ActionKind.REPARATION)),
                        owner=responsible,
                        due_on=made_on + _days(rng, 7, 60),
                        status=status,
                        verified_by=facilitator if resolved else None,
                        verified_at=plan["process_started_at"] + _days(rng, 10, 30) if resolved else None,
                    )
                )
            actions.append((agreement, listed))
        for participant, chance in ((harmed, 0.6), (responsible, 0.5)):
            taken_on = process_on + _days(rng, 14, 60)
            if taken_on <= today and rng.random() < chance:
                surveys.append(_survey(rng, case, participant, taken_on, facilitator))
        checks.extend(_checks(rng, case, responsible, process_on, today, facilitator))
    _insert(InformationGiven, information)
    _insert(ConsentRecord, consents)
    _insert(OutcomeAgreement, agreements)
    for agreement, listed in actions:
        for action in listed:
            action.agreement = agreement
    _insert(AgreementAction, [action for _agreement, listed in actions for action in listed])
    _insert(FeedbackSurvey, surveys)
    _insert(ReoffendingCheck, checks)
    _insert(
        Complaint,
        [
            _complaint(rng, service, case, plan, today)
            for case, plan in zip(cases, plans, strict=True)
            if rng.random() < 0.02
        ],
    )


def _survey(
    rng: random.Random,
    case: Case,
    participant: Participant,
    taken_on: datetime.date,
    taken_by: User,
) -> FeedbackSurvey:
    fear_before = rng.randint(2, 10) if rng.random() < 0.7 else None
    fear_after = max(0, fear_before - rng.randint(0, 6)) if fear_before is not None and rng.random() < 0.9 else None
    satisfaction = _weighted(
        rng,
        (
            (Satisfaction.VERY_SATISFIED, 40),
            (Satisfaction.SATISFIED, 35),
            (Satisfaction.NEITHER, 10),
            (Satisfaction.DISSATISFIED, 5),
            (Satisfaction.VERY_DISSATISFIED, 2),
            (None, 8),
        ),
    )
    return FeedbackSurvey(
        case=case,
        participant=participant,
        taken_on=taken_on,
        method=SurveyMethod.PHONE,
        taken_by=taken_by,
        satisfaction=satisfaction,
        felt_safe=_weighted(rng, ANSWERS),
        felt_heard=_weighted(rng, ANSWERS),
        felt_better=_weighted(rng, ANSWERS),
        fear_before=fear_before,
        fear_after=fear_after,
        better_able_to_cope=_weighted(rng, ANSWERS),
        better_able_to_recover=_weighted(rng, ANSWERS),
        would_recommend=_weighted(rng, ANSWERS),
    )


def _complaint(
    rng: random.Random, service: Service, case: Case, plan: dict[str, Any], today: datetime.date
) -> Complaint:
    """A complaint (or now and then a compliment or other feedback) about the case, answered or not."""
    received_on = min(timezone.localdate(plan["opened_at"]) + _days(rng, 5, 120), today)
    kind = _weighted(rng, ((ComplaintKind.COMPLAINT, 60), (ComplaintKind.COMPLIMENT, 30), (ComplaintKind.OTHER, 10)))
    complaint = Complaint(
        service=service,
        kind=kind,
        received_on=received_on,
        channel=ComplaintChannel.EMAIL,
        from_role=FromRole.PERSON_HARMED,
        case=case,
        summary="",
        recorded_by=case.lead_facilitator,
    )
    if kind == ComplaintKind.COMPLAINT:
        complaint.handler = case.lead_facilitator
        complaint.due_on = add_working_days(received_on, 10)
        answered_on = received_on + _days(rng, 2, 25)
        if answered_on <= today and rng.random() < 0.85:
            complaint.responded_on = answered_on
            complaint.outcome = _weighted(
                rng,
                (
                    (ComplaintOutcome.UPHELD, 20),
                    (ComplaintOutcome.PARTLY_UPHELD, 25),
                    (ComplaintOutcome.NOT_UPHELD, 45),
                    (ComplaintOutcome.WITHDRAWN, 10),
                ),
            )
            if rng.random() < 0.1 and complaint.outcome != ComplaintOutcome.WITHDRAWN:
                complaint.escalated_on = min(answered_on + _days(rng, 5, 30), today)
                complaint.escalated_to = EscalatedTo.ORGANISATION
    return complaint


def _checks(
    rng: random.Random,
    case: Case,
    responsible: Participant,
    process_on: datetime.date,
    today: datetime.date,
    checked_by: User,
) -> Iterable[ReoffendingCheck]:
    """A check at the process for half, and for most of those a year on, one complete check after 12 months, now and
    then two (the latest counts)."""
    before = rng.choice((0, 0, 1, 1, 2, 3, 4, 6))

    def check(checked_on: datetime.date, after: int | None) -> ReoffendingCheck:
        return ReoffendingCheck(
            case=case,
            participant=responsible,
            process_on=process_on,
            offences_before=before,
            offences_after=after,
            source=ReoffendingSource.PNC,
            checked_on=checked_on,
            checked_by=checked_by,
        )

    if rng.random() < 0.5:
        yield check(process_on, None)
    year_on = process_on + datetime.timedelta(days=366)
    if year_on + datetime.timedelta(days=60) <= today and rng.random() < 0.75:
        after = max(0, before - rng.randint(-1, 3))
        yield check(year_on + _days(rng, 0, 30), after)
        if rng.random() < 0.15:
            yield check(year_on + _days(rng, 31, 60), max(0, after + rng.choice((-1, 0, 1))))
