"""A small dataset built by hand, with every figure worked out by hand beforehand, to check definitions.py against.

Two services of one partnership: Severn (the personas' service, "S" below) and Wye ("W"). Everything is built
through the real services and builders (tests/case_builders.py); only the dates are then set directly, since the
services stamp "now" on milestones. The figures below were worked out from this table with a pencil, not by running
the code. Periods: the financial year 2025 (1 April 2025 to 31 March 2026), its quarter 1 (April to June 2025),
May 2025, and the custom period 1 June to 30 September 2025.

THE REFERRALS (told = person harmed told about RJ; due = Victims' Code right 3, 5 working days after the report, 1 with
enhanced rights (*), England and Wales bank holidays skipped: Good Friday 18 Apr 2025, Easter Monday 21 Apr, 5 and 26
May, 25 Aug 2025; Good Friday 3 Apr 2026, Easter Monday 6 Apr 2026). Report, due and told dates are month-day of the
year received unless written in full; S is Severn, W is Wye.

 key received    source        offence        stage        area       reported due    told   decision
 S1  2025-04-07  police        burglary       pre_charge   Gloucester 04-01    04-08  04-08  accepted   in time (due)
 S2  2025-04-10  police        viol. injury   pre_charge   Gloucester 04-09    04-16  04-22  accepted   late
 S3  2025-04-15  victim_serv.  theft          out_of_court Stroud     04-15    04-24  04-24  accepted   in time (Easter)
 S4  2025-04-22  police        burglary       pre_charge   Stroud     04-17*   04-22  04-23  accepted   late
 S5  2025-05-02  probation     viol. no inj.  community    Gloucester -        -      05-06  accepted   told, no clock
 S6  2025-05-12  self          crim. damage   not_reported (none)     -        -      -      accepted
 S7  2025-05-20  police        theft          pre_charge   Gloucester 05-19    05-27  -      declined
 S8  2025-06-03  police        burglary       pre_charge   Stroud     06-02    06-09  06-05  redirected in time
 S9  2025-06-16  youth_justice crim. damage   out_of_court Gloucester 06-13    06-20  06-18  accepted   in time; a child
 S10 2025-06-30  police        burglary       pre_charge   Gloucester 06-25    07-02  07-10  awaiting   late
 S11 2025-07-08  police        viol. injury   community    Stroud     07-01    07-08  07-07  accepted   in time
 S12 2025-08-12  court         theft          pre_charge   (none)     08-04    08-11  08-20  accepted   late
 S13 2025-09-09  police        burglary       pre_charge   Gloucester 09-08    09-15  09-10  accepted   in time
 S14 2025-10-14  victim_serv.  stalking       pre_charge   Stroud     10-13*   10-14  10-14  accepted   in time
 S15 2025-11-18  police        theft          out_of_court Gloucester 11-17    11-24  -      declined
 S16 2025-12-15  probation     burglary       custody      Gloucester -        -      12-16  accepted   told, no clock
 S17 2026-01-20  police        viol. injury   pre_charge   Stroud     01-19    01-26  01-21  accepted   in time
 S18 2026-02-10  self          crim. damage   not_reported (none)     -        -      -      awaiting
 S19 2026-03-31  police        burglary       pre_charge   Gloucester 03-30    04-08  04-02  accepted   in time (Easter)
 S20 2025-03-20  police        burglary       pre_charge   Gloucester 03-18    03-25  03-21  accepted   BEFORE the year
 S21 2026-04-14  police        theft          pre_charge   Stroud     -        -      -      declined   AFTER the year
 W1  2025-04-09  police        burglary       pre_charge   Hereford   04-08    04-15  04-11  accepted   in time
 W2  2025-05-14  probation     theft          community    Hereford   -        -      -      accepted
 W3  2025-07-16  police        viol. no inj.  pre_charge   Ross       07-15    07-22  07-25  declined   late
 W4  2025-09-24  victim_serv.  burglary       out_of_court Ross       09-22    09-29  09-26  accepted   in time
 W5  2026-02-04  police        theft          pre_charge   Hereford   02-02    02-09  -      awaiting

THE CASES (days from the referral received to the day in England and Wales; moments are at 12:00 UTC unless marked):

 key process      contact         suitable    process      closed                    reason               state
 S1  face_to_face 04-09 (2)       04-22       05-06 (29)   2025-06-10 (64)           completed_direct
 S2  letters      04-14 (4)       05-01       05-20 (40)   2025-07-15 (96)           completed_indirect
 S3  virtual      04-16 (1)       05-12       06-02 (48)   -                         -                    monitoring
 S4  face_to_face 04-28 (6)       05-27       -            -                         -                    preparing
 S5  -            05-12 (10)      -           -            2025-05-30 (28)           harmed_declined
 S6  -            -               -           -            2025-06-23 (42)           no_contact
 S9  face_to_face 06-17 (1)       07-01       07-22 (36)   2025-09-30 (106)          completed_direct     (child flag)
 S11 shuttle      07-11 (3)       08-05       08-26 (49)   2025-11-04 (119)          completed_indirect
 S12 -            08-19 (7)       -           -            -                         -                    assessing
 S13 face_to_face 09-16 (7)       10-07       10-28 (49)   2025-12-02 (84)           other
 S14 -            10-20 (6)       -           -            2025-11-10 (27)           unsuitable
 S16 -            -               -           -            -                         -                    accepted only
 S17 face_to_face 2026-01-22 (2)  02-05       03-10 (49)   2026-03-31 23:30 UTC      completed_direct
     (23:30 UTC on 31 March is 00:30 on 1 April in England: closed AFTER the year)
 S19 -            2026-04-01 (1)  -           -            -                         -                    assessing
 S20 face_to_face 2025-03-31 23:30 UTC = 1 April 00:30 BST (12)  04-10  04-29 (40)  2025-06-20 (92)  completed_direct
 W1  face_to_face 04-10 (1)       04-24       05-15 (36)   2025-07-01 (83)           completed_direct
 W2  -            05-21 (7)       -           -            -                         -                    assessing
 W4  letters      09-29 (5)       10-15       11-05 (42)   2026-01-13 (111)          completed_indirect

Information given: to the person harmed from assessing on (all but S6, S16); consent given by both people from
preparing on (S1, S2, S3, S4, S9, S11, S13, S17, S20, W1, W4).

Outcome agreements (made on) and their actions (C completed, N not completed, O open, X withdrawn):
 S1 2025-05-06 C N | S2 2025-05-21 C X | S3 2025-06-02 O C | S9 2025-07-22 C | S11 2025-08-27 C C N |
 S13 2025-10-28 O | S17 2026-03-10 C X | S20 2025-04-29 C | W1 2025-05-15 C N | W4 2025-11-06 C

Feedback surveys (satisfaction 1-5; recommend, safe, better, cope, recover: y yes, n no, ? not sure, . not answered;
fear before > after):
 F1 S1 harmed       2025-06-05  5  y y y y ?  8 > 3
 F2 S1 responsible  2025-06-05  4  y y n . .  - > -
 F3 S2 harmed       2025-07-01  3  n y ? n n  6 > 6
 F4 S9 harmed       2025-09-15  5  y y y y y  9 > 2
 F5 S9 responsible  2025-09-15  -  ? . y . .  4 > -   (one fear answer only: left out of the averages)
 F6 S11 harmed      2025-10-20  2  n n n n ?  7 > 5
 F7 S20 harmed      2025-06-01  4  y y y y y  5 > 1
 F8 W1 harmed       2025-06-25  5  y y y y y 10 > 4
 F9 S17 harmed      2026-04-02  1  n n n n n  9 > 9   AFTER the year
 F10 W4 harmed      2025-12-10  4  y y . y y  - > -

Reoffending checks of the person responsible (process date; checked; before; after):
 S1  2025-05-06: 2025-05-08 3 -, then 2026-05-07 3 1       -> counts 3 > 1
 S2  2025-05-20: 2026-05-21 4 3, then 2026-06-15 4 2       -> only the latest counts: 4 > 2
 S9  2025-07-22: 2026-07-23 2 0 | S11 2025-08-26: 2026-08-27 1 2 | S20 2025-04-29: 2026-04-30 5 5
 S17 2026-03-10: 2026-03-12 2 -  (not yet a year: not counted)
 W1  2025-05-15: 2026-05-20 2 1 | W4 2025-11-05: 2026-11-10 0 0

Languages: S1 harmed Welsh, S1 responsible English, S2 both English, S3 harmed Welsh and English, S9 both Welsh, S11
harmed English, S13 responsible English, a supporter in S12 English, W1 harmed Welsh, W1 responsible English; everyone
else not asked. Equality answers: S1 harmed white/female/35-44, S2 harmed asian/male/25-34, S3 harmed white/prefer
not to say/(age blank), S9 harmed black/female/45-54, S11 harmed white/male/35-44, W1 harmed mixed/female/55-64, S1
responsible white/male, S9 responsible white/male/under 18.

Facilitators (as things stood on 31 March 2026; supervision counts after 6 Jan 2026, CPD after 31 Mar 2025):
 F1 (the personas' facilitator) in S and W since 2024: intermediate (12 h), registered to 2027-01-31, supervised
    2026-02-20, CPD 5 h 2025-06-01 + 4 h 2025-10-01 + 3 h 2026-03-01 = 12 h: all three met.
 F2 in S since 2024-06: advanced (16 h), no registration number, supervised 2025-12-01 (too early), CPD 10 h 2025-04-15
    + 5 h 2026-01-10 = 15 h: none met.
 F3 in S since 2025-01: foundation (6 h), registered to 2026-03-31 (the last day: still in date), supervised
    2026-01-07 (just in), CPD 6 h 2025-03-31 (a year to the day: out) + 2 h 2026-02-01 = 2 h: supervised, registered.
 F4 in S 2025-09-01 to 2026-02-15 (left): not counted. F5 in S from 2026-05-01: not counted. F7 in S since 2024, no
    facilitator record: counted, meets nothing. F8 in S since 2024, account inactive: not counted.
 F6 in W since 2024: intermediate, registration expired 2026-03-30, supervised 2026-03-31, CPD 12 h 2026-03-31:
    supervised and CPD met.

Complaints to Severn (answer due 10 working days after received; 25 Aug 2025 a bank holiday):
 C1 complaint  2025-05-06, due 05-20, answered 05-19 (13 days) upheld: in time
 C2 complaint  2025-08-20, due 09-04, answered 09-05 (16 days) not upheld: late; escalated 09-20
 C3 complaint  2025-11-03, due 11-17, withdrawn 11-10: not an answer
 C4 complaint  2026-02-02, not answered yet
 C5 complaint  2026-03-02, due 03-16, answered 03-04 (2 days) partly upheld: in time
 C6 complaint  2025-03-25, answered 03-28: BEFORE the year.  K1 compliment 2025-06-10.  K2 compliment 2026-04-20:
 AFTER the year.  O1 other feedback 2025-07-01.

HAND-WORKED FIGURES, financial year 2025, Severn (S) | Wye (W) | partnership (S and W):

 referrals      received 19 | 5 | 24; accepted 14 | 3 | 17; declined 2 (S7 S15) | 1 | 3; redirected 1 | 0 | 1;
                awaiting 2 (S10 S18) | 1 | 3
 victims_code   referrals 19 | 5 | 24; told 15 (not S6 S7 S15 S18) | 3 | 18; share 15/19 = 78.9% | 60.0% | 75.0%;
                clocked 13 (not S5 S16) | 3 | 16; in time 9 (S1 S3 S8 S9 S11 S13 S14 S17 S19) | 2 | 11;
                share 9/13 = 69.2% | 2/3 = 66.7% | 11/16 = 68.75% -> 68.8%
 offered        people harmed 14 | 3 | 17; offered 12 (not S6 S16) | 3 | 15; share 85.7% | 100.0% | 88.2%;
                accepting 8 | 2 | 10; share of those offered 8/12 = 66.7% | 66.7% | 66.7%
 funnel         referred 19 | 5 | 24; accepted 14 | 3 | 17; contact 12 (S19 counts: by referral date) | 3 | 15;
                suitable 8 | 2 | 10; process 7 | 2 | 9; completed 5 (S1 S2 S9 S11 S17) | 2 | 7;
                share completed 5/19 = 26.3% | 40.0% | 7/24 = 29.2%
 stops (S)      at triage: declined 2, redirected 1, awaiting 2; before contact: open 1 (S16), no_contact 1 (S6);
                before suitable: open 2 (S12 S19), harmed_declined 1 (S5), unsuitable 1 (S14); before the process:
                open 1 (S4); after the process: open 1 (S3), other 1 (S13). Totals 5, 2, 4, 1, 2.
 processes      8 (S1 S2 S3 S9 S11 S13 S17 S20) | 2 | 10; direct 6 | 1 | 7; indirect 2 (S2 S11) | 1 | 3;
                virtual 1 (S3) | 0 | 1; completed so far 6 (S17 too) | 2 | 8
 agreements     agreements 8 | 2 | 10; actions 14 | 3 | 17; completed 8 | 2 | 10; not completed 2 | 1 | 3;
                open 2 | 0 | 2; withdrawn 2 | 0 | 2; resolved 10 | 3 | 13; share 80.0% | 66.7% | 10/13 = 76.9%
 timeliness S   contact: 12 cases, days 1 1 2 2 3 4 6 6 7 7 10 12 (S20 counts: its contact was 1 April in England);
                median at 0.5 x 11 = 5.5: 4 + 0.5 x (6 - 4) = 5.0; p90 at 0.9 x 11 = 9.9: 7 + 0.9 x (10 - 7) = 9.7.
                process: 8 cases, 29 36 40 40 48 49 49 49; median at 3.5: 40 + 0.5 x 8 = 44.0; p90 at 6.3: 49.0.
                closure: 9 cases (not S17: 1 April in England), 27 28 42 64 84 92 96 106 119; median at 4: 84.0;
                p90 at 7.2: 106 + 0.2 x 13 = 108.6.
 timeliness W   contact 3: 1 5 7, median 5.0, p90 at 1.8: 5 + 0.8 x 2 = 6.6; process 2: 36 42, median 39.0,
                p90 at 0.9: 36 + 0.9 x 6 = 41.4; closure 2: 83 111, median 97.0, p90 83 + 0.9 x 28 = 108.2.
 timeliness S+W contact 15: 1 1 1 2 2 3 4 5 6 6 7 7 7 10 12, median (position 7) 5.0, p90 at 12.6: 7 + 0.6 x 3 = 8.8;
                process 10: 29 36 36 40 40 42 48 49 49 49, median at 4.5: 41.0, p90 at 8.1: 49.0;
                closure 11: 27 28 42 64 83 84 92 96 106 111 119, median 84.0, p90 at 9.0: 111.0.
 feedback S     surveys 7 (F1-F7); satisfaction answered 6, satisfied 4: 66.7%; recommend 7 answered, 4 yes: 57.1%;
                safe 6, 5: 83.3%; better 7, 4: 57.1%; cope 5, 3: 60.0%; recover 5, 2: 40.0%;
                fear 5 answered both (F1 F3 F4 F6 F7): before (8+6+9+7+5)/5 = 7.0, after (3+6+2+5+1)/5 = 3.4.
 feedback W     surveys 2; satisfaction 2, 2; recommend 2, 2; safe 2, 2; better 1, 1; cope 2, 2; recover 2, 2;
                fear 1: 10.0 and 4.0.
 feedback S+W   surveys 9; satisfaction 8, 6: 75.0%; recommend 9, 6: 66.7%; safe 8, 7: 87.5%; better 8, 5: 62.5%;
                cope 7, 5: 71.4%; recover 7, 4: 57.1%; fear 6: before 45/6 = 7.5, after 21/6 = 3.5.
 reoffending    people 5 | 2 | 7; before 15 | 2 | 17; after 10 | 1 | 11; per person before 3.00 | 1.00 | 2.43;
                after 2.00 | 0.50 | 1.57; change (10 - 15)/15 = -33.3% | -50.0% | -6/17 = -35.3%
 practitioners  4 (F1 F2 F3 F7) | 2 (F1 F6) | 5 (F1 once); supervised 2 | 2 | 3; CPD met 1 | 2 | 2;
                registered 2 | 1 | 2
 welsh          participants 29 (14 cases x 2 + the supporter) | 6 | 35; asked 10 | 2 | 12; Welsh 4 | 1 | 5;
                share 4/10 = 40.0% | 50.0% | 5/12 = 41.7%
 complaints S   5 complaints (C1-C5), 1 compliment (K1); answered 3 (C1 C2 C5: C3 was withdrawn, C4 not yet);
                in time 2 (C1 C5): 66.7%; median of 2 13 16 = 13.0; upheld or partly 2 (C1 C5); escalated 1 (C2).
                Wye has none: every count 0, the share and the median "-". The partnership: Severn's figures.

QUARTER 1 (April to June 2025), Severn: complaints 1 (C1), compliments 1, answered 1 in time, median 13.0, upheld 1.
 referrals 10 (S1-S10): accepted 7, declined 1, redirected 1, awaiting 1. victims_code: told 8, clocked 7, in time 4
 (S1 S3 S8 S9): 80.0%, 57.1%. offered: 7, 6, 5. funnel: 10, 7, 6, 5, 4, 3 (S1 S2 S9), 30.0%. processes: 4 (S1 S2 S3
 S20), direct 3, indirect 1, virtual 1, completed 3. agreements: 4 (S1 S2 S3 S20), actions 7: C 4, N 1, O 1, X 1,
 resolved 5, 80.0%. timeliness: contact 7 (1 1 2 4 6 10 12) median 4.0, p90 at 5.4: 10 + 0.4 x 2 = 10.8; process 4
 (29 40 40 48) median 40.0, p90 at 2.7: 40 + 0.7 x 8 = 45.6; closure 4 (S5 28, S6 42, S1 64, S20 92) median at 1.5:
 53.0, p90 at 2.7: 64 + 0.7 x 28 = 83.6. feedback: F1 F2 F7: 3 surveys, satisfaction 3, 3; recommend 3, 3; safe 3, 3;
 better 3, 2; cope 2, 2; recover 2, 1; fear 2: 6.5 and 2.0. reoffending: S1 S2 S20: 3 people, 12 before, 8 after,
 4.00, 2.67, -33.3%. practitioners (on 30 June 2025): F1 F2 F3 F7 = 4; supervised 0; CPD met 1 (F3: 6 h on 2025-03-31);
 registered 2 (F1 F3). welsh: 14 participants, 7 asked, 4 Welsh: 57.1%.

MAY 2025, Severn: referrals 3 (S5 S6 S7): accepted 2, declined 1. funnel 3, 2, 1, 0, 0, 0. processes 2 (S1 S2): direct
 1, indirect 1. timeliness: contact 1 (S5: 10), process 2 (29 40: median 34.5, p90 29 + 0.9 x 11 = 38.9), closure 1
 (S5: 28).
1 JUNE TO 30 SEPTEMBER 2025, Severn: referrals 6 (S8-S13): accepted 4, redirected 1, awaiting 1. processes 3 (S3 S9
 S11): direct 2, indirect 1, virtual 1, completed 2. feedback 6 (F1-F5, F7).

BREAKDOWNS, financial year 2025, Severn, referrals received (each "not recorded" row last):
 area: Gloucester 10, Stroud 6, not recorded 3 (S6 S12 S18).
 offence: burglary 7, violence with injury 3, violence without injury 1, theft 4, criminal damage 3, stalking 1.
   Funnel for burglary: 7, 5, 4, 3, 2, 1.
 stage: pre_charge 11, out_of_court 3, community 2, custody 1, not_reported 2.
 source: police 11 (S1 S2 S4 S7 S8 S10 S11 S13 S15 S17 S19; accepted 7, declined 2, redirected 1, awaiting 1),
   victim service 2, probation 2, youth justice 1, court 1, self 2.
 age group: child 1 (S9), adults only 13, not recorded 5 (the referrals not accepted: no case).
 process kind: face_to_face 5 (S1 S4 S9 S13 S17), virtual 1, shuttle 1, letters 1, not recorded 11.
   Processes by kind: face_to_face 5 (S1 S9 S13 S17 S20), virtual 1, shuttle 1, letters 1.
 ethnicity (the person harmed's): asian 1, black 1, white 3 (S1 S3 S11), not recorded 14.
 sex: female 2, male 2, prefer not to say 1 (S3), not recorded 14.
 age band: 25-34 1, 35-44 2, 45-54 1, not recorded 15 (S3 answered, but not this question).
 Feedback by role: person harmed 5, person responsible 2; by ethnicity (their own answer): asian 1, black 1, white 4
   (F1 F2 F5 F6), not recorded 1 (F7).
 Welsh by role: person harmed 14 (asked 5, Welsh 3), person responsible 14 (asked 4, Welsh 1), supporter 1 (1, 0).
 Partnership, referrals by service: Severn 19, Wye 5.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from amends.accounts.models import Membership, Partnership, RJCLevel, Role, Service, User
from amends.cases import services as case_services
from amends.cases.models import Case, ClosureReason, ProcessKind, SensitivityFlag, State
from amends.complaints import services as complaint_services
from amends.complaints.models import Channel, ComplaintKind, EscalatedTo, FromRole, Outcome
from amends.figures.definitions import Scope
from amends.figures.periods import Period
from amends.followup import services as followup_services
from amends.followup.models import Answer, ReoffendingSource, SurveyMethod
from amends.followup.services import SurveyAnswers
from amends.meetings.models import Platform
from amends.outcomes import services as outcome_services
from amends.outcomes.models import ActionKind, AgreementAction, OutcomeAgreement
from amends.people import services as people_services
from amends.people.models import Language, Participant, ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.models import (
    EnhancedRightsGround,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    TriageDecision,
)
from tests.case_builders import agree_outcome, book_conference, build_case, day_at, make_referral
from tests.factories import (
    CPDRecordFactory,
    FacilitatorRecordFactory,
    MembershipFactory,
    ServiceFactory,
    SupervisionSessionFactory,
    UserFactory,
)
from tests.personas import Personas, build_personas

YEAR = Period.year(2025)
QUARTER = Period.quarter(2025, 1)
MONTH = Period.month(2025, 5)
CUSTOM = Period.custom(datetime.date(2025, 6, 1), datetime.date(2025, 9, 30))

# The hand-worked totals: {figure: {measure: value}}. Shares, rates and changes are written as the sums they are.
# No case of the dataset is a youth referral order (tests/figures/test_youth_panels.py counts some).
YOUTH_PANELS_NONE = {
    "orders": 0,
    "decided": 0,
    "invited": 0,
    "invited_share": None,
    "attending": 0,
    "awaited": 0,
    "declined": 0,
    "declined_statement": 0,
    "declined_other_way": 0,
    "declined_neither": 0,
    "not_invited": 0,
    "not_invited_no_victim": 0,
    "not_invited_asked_not_to_be_contacted": 0,
    "not_invited_not_contactable": 0,
    "not_invited_not_safe": 0,
    "not_invited_other": 0,
}

COMPLAINTS_NONE = {
    "complaints": 0,
    "compliments": 0,
    "answered": 0,
    "answered_in_time": 0,
    "in_time_share": None,
    "median_days": None,
    "upheld": 0,
    "escalated": 0,
}

COMPLAINTS_SEVERN = {
    "complaints": 5,
    "compliments": 1,
    "answered": 3,
    "answered_in_time": 2,
    "in_time_share": 2 / 3,
    "median_days": 13.0,
    "upheld": 2,
    "escalated": 1,
}

YEAR_SEVERN = {
    "referrals": {"received": 19, "accepted": 14, "declined": 2, "redirected": 1, "awaiting": 2},
    "victims_code": {
        "referrals": 19,
        "told": 15,
        "told_share": 15 / 19,
        "clocked": 13,
        "in_time": 9,
        "in_time_share": 9 / 13,
    },
    "offered": {"people": 14, "offered": 12, "offered_share": 12 / 14, "accepted": 8, "accepted_share": 8 / 12},
    "funnel": {
        "step_0": 19,
        "step_1": 14,
        "step_2": 12,
        "step_3": 8,
        "step_4": 7,
        "step_5": 5,
        "completed_share": 5 / 19,
    },
    "processes": {"processes": 8, "direct": 6, "indirect": 2, "virtual": 1, "completed": 6},
    "agreements": {
        "agreements": 8,
        "actions_agreed": 14,
        "completed": 8,
        "not_completed": 2,
        "open": 2,
        "withdrawn": 2,
        "resolved": 10,
        "completed_share": 8 / 10,
    },
    "timeliness": {
        "contact_cases": 12,
        "contact_median": 5.0,
        "contact_p90": 9.7,
        "process_cases": 8,
        "process_median": 44.0,
        "process_p90": 49.0,
        "closure_cases": 9,
        "closure_median": 84.0,
        "closure_p90": 108.6,
    },
    "feedback": {
        "surveys": 7,
        "satisfaction_answered": 6,
        "satisfied": 4,
        "satisfied_share": 4 / 6,
        "would_recommend_answered": 7,
        "would_recommend_yes": 4,
        "would_recommend_share": 4 / 7,
        "felt_safe_answered": 6,
        "felt_safe_yes": 5,
        "felt_safe_share": 5 / 6,
        "felt_better_answered": 7,
        "felt_better_yes": 4,
        "felt_better_share": 4 / 7,
        "better_able_to_cope_answered": 5,
        "better_able_to_cope_yes": 3,
        "better_able_to_cope_share": 3 / 5,
        "better_able_to_recover_answered": 5,
        "better_able_to_recover_yes": 2,
        "better_able_to_recover_share": 2 / 5,
        "fear_answered": 5,
        "fear_before_mean": 7.0,
        "fear_after_mean": 3.4,
    },
    "reoffending": {
        "people": 5,
        "before": 15,
        "after": 10,
        "frequency_before": 15 / 5,
        "frequency_after": 10 / 5,
        "change": (10 - 15) / 15,
    },
    "practitioners": {
        "practitioners": 4,
        "supervised": 2,
        "supervised_share": 2 / 4,
        "cpd_met": 1,
        "cpd_share": 1 / 4,
        "registered": 2,
        "registered_share": 2 / 4,
    },
    "welsh": {"participants": 29, "asked": 10, "welsh": 4, "welsh_share": 4 / 10},
    "youth_panels": YOUTH_PANELS_NONE,
    "complaints": COMPLAINTS_SEVERN,
}

YEAR_WYE = {
    "referrals": {"received": 5, "accepted": 3, "declined": 1, "redirected": 0, "awaiting": 1},
    "victims_code": {
        "referrals": 5,
        "told": 3,
        "told_share": 3 / 5,
        "clocked": 3,
        "in_time": 2,
        "in_time_share": 2 / 3,
    },
    "offered": {"people": 3, "offered": 3, "offered_share": 1.0, "accepted": 2, "accepted_share": 2 / 3},
    "funnel": {"step_0": 5, "step_1": 3, "step_2": 3, "step_3": 2, "step_4": 2, "step_5": 2, "completed_share": 2 / 5},
    "processes": {"processes": 2, "direct": 1, "indirect": 1, "virtual": 0, "completed": 2},
    "agreements": {
        "agreements": 2,
        "actions_agreed": 3,
        "completed": 2,
        "not_completed": 1,
        "open": 0,
        "withdrawn": 0,
        "resolved": 3,
        "completed_share": 2 / 3,
    },
    "timeliness": {
        "contact_cases": 3,
        "contact_median": 5.0,
        "contact_p90": 6.6,
        "process_cases": 2,
        "process_median": 39.0,
        "process_p90": 41.4,
        "closure_cases": 2,
        "closure_median": 97.0,
        "closure_p90": 108.2,
    },
    "feedback": {
        "surveys": 2,
        "satisfaction_answered": 2,
        "satisfied": 2,
        "satisfied_share": 1.0,
        "would_recommend_answered": 2,
        "would_recommend_yes": 2,
        "would_recommend_share": 1.0,
        "felt_safe_answered": 2,
        "felt_safe_yes": 2,
        "felt_safe_share": 1.0,
        "felt_better_answered": 1,
        "felt_better_yes": 1,
        "felt_better_share": 1.0,
        "better_able_to_cope_answered": 2,
        "better_able_to_cope_yes": 2,
        "better_able_to_cope_share": 1.0,
        "better_able_to_recover_answered": 2,
        "better_able_to_recover_yes": 2,
        "better_able_to_recover_share": 1.0,
        "fear_answered": 1,
        "fear_before_mean": 10.0,
        "fear_after_mean": 4.0,
    },
    "reoffending": {
        "people": 2,
        "before": 2,
        "after": 1,
        "frequency_before": 1.0,
        "frequency_after": 0.5,
        "change": -0.5,
    },
    "practitioners": {
        "practitioners": 2,
        "supervised": 2,
        "supervised_share": 1.0,
        "cpd_met": 2,
        "cpd_share": 1.0,
        "registered": 1,
        "registered_share": 0.5,
    },
    "welsh": {"participants": 6, "asked": 2, "welsh": 1, "welsh_share": 0.5},
    "youth_panels": YOUTH_PANELS_NONE,
    "complaints": COMPLAINTS_NONE,
}

YEAR_PARTNERSHIP = {
    "referrals": {"received": 24, "accepted": 17, "declined": 3, "redirected": 1, "awaiting": 3},
    "victims_code": {
        "referrals": 24,
        "told": 18,
        "told_share": 18 / 24,
        "clocked": 16,
        "in_time": 11,
        "in_time_share": 11 / 16,
    },
    "offered": {"people": 17, "offered": 15, "offered_share": 15 / 17, "accepted": 10, "accepted_share": 10 / 15},
    "funnel": {
        "step_0": 24,
        "step_1": 17,
        "step_2": 15,
        "step_3": 10,
        "step_4": 9,
        "step_5": 7,
        "completed_share": 7 / 24,
    },
    "processes": {"processes": 10, "direct": 7, "indirect": 3, "virtual": 1, "completed": 8},
    "agreements": {
        "agreements": 10,
        "actions_agreed": 17,
        "completed": 10,
        "not_completed": 3,
        "open": 2,
        "withdrawn": 2,
        "resolved": 13,
        "completed_share": 10 / 13,
    },
    "timeliness": {
        "contact_cases": 15,
        "contact_median": 5.0,
        "contact_p90": 8.8,
        "process_cases": 10,
        "process_median": 41.0,
        "process_p90": 49.0,
        "closure_cases": 11,
        "closure_median": 84.0,
        "closure_p90": 111.0,
    },
    "feedback": {
        "surveys": 9,
        "satisfaction_answered": 8,
        "satisfied": 6,
        "satisfied_share": 6 / 8,
        "would_recommend_answered": 9,
        "would_recommend_yes": 6,
        "would_recommend_share": 6 / 9,
        "felt_safe_answered": 8,
        "felt_safe_yes": 7,
        "felt_safe_share": 7 / 8,
        "felt_better_answered": 8,
        "felt_better_yes": 5,
        "felt_better_share": 5 / 8,
        "better_able_to_cope_answered": 7,
        "better_able_to_cope_yes": 5,
        "better_able_to_cope_share": 5 / 7,
        "better_able_to_recover_answered": 7,
        "better_able_to_recover_yes": 4,
        "better_able_to_recover_share": 4 / 7,
        "fear_answered": 6,
        "fear_before_mean": 7.5,
        "fear_after_mean": 3.5,
    },
    "reoffending": {
        "people": 7,
        "before": 17,
        "after": 11,
        "frequency_before": 17 / 7,
        "frequency_after": 11 / 7,
        "change": (11 - 17) / 17,
    },
    "practitioners": {
        "practitioners": 5,
        "supervised": 3,
        "supervised_share": 3 / 5,
        "cpd_met": 2,
        "cpd_share": 2 / 5,
        "registered": 2,
        "registered_share": 2 / 5,
    },
    "welsh": {"participants": 35, "asked": 12, "welsh": 5, "welsh_share": 5 / 12},
    "youth_panels": YOUTH_PANELS_NONE,
    "complaints": COMPLAINTS_SEVERN,
}

QUARTER_SEVERN = {
    "referrals": {"received": 10, "accepted": 7, "declined": 1, "redirected": 1, "awaiting": 1},
    "victims_code": {"referrals": 10, "told": 8, "told_share": 0.8, "clocked": 7, "in_time": 4, "in_time_share": 4 / 7},
    "offered": {"people": 7, "offered": 6, "offered_share": 6 / 7, "accepted": 5, "accepted_share": 5 / 6},
    "funnel": {"step_0": 10, "step_1": 7, "step_2": 6, "step_3": 5, "step_4": 4, "step_5": 3, "completed_share": 0.3},
    "processes": {"processes": 4, "direct": 3, "indirect": 1, "virtual": 1, "completed": 3},
    "agreements": {
        "agreements": 4,
        "actions_agreed": 7,
        "completed": 4,
        "not_completed": 1,
        "open": 1,
        "withdrawn": 1,
        "resolved": 5,
        "completed_share": 0.8,
    },
    "timeliness": {
        "contact_cases": 7,
        "contact_median": 4.0,
        "contact_p90": 10.8,
        "process_cases": 4,
        "process_median": 40.0,
        "process_p90": 45.6,
        "closure_cases": 4,
        "closure_median": 53.0,
        "closure_p90": 83.6,
    },
    "feedback": {
        "surveys": 3,
        "satisfaction_answered": 3,
        "satisfied": 3,
        "satisfied_share": 1.0,
        "would_recommend_answered": 3,
        "would_recommend_yes": 3,
        "would_recommend_share": 1.0,
        "felt_safe_answered": 3,
        "felt_safe_yes": 3,
        "felt_safe_share": 1.0,
        "felt_better_answered": 3,
        "felt_better_yes": 2,
        "felt_better_share": 2 / 3,
        "better_able_to_cope_answered": 2,
        "better_able_to_cope_yes": 2,
        "better_able_to_cope_share": 1.0,
        "better_able_to_recover_answered": 2,
        "better_able_to_recover_yes": 1,
        "better_able_to_recover_share": 0.5,
        "fear_answered": 2,
        "fear_before_mean": 6.5,
        "fear_after_mean": 2.0,
    },
    "reoffending": {
        "people": 3,
        "before": 12,
        "after": 8,
        "frequency_before": 4.0,
        "frequency_after": 8 / 3,
        "change": (8 - 12) / 12,
    },
    "practitioners": {
        "practitioners": 4,
        "supervised": 0,
        "supervised_share": 0.0,
        "cpd_met": 1,
        "cpd_share": 0.25,
        "registered": 2,
        "registered_share": 0.5,
    },
    "welsh": {"participants": 14, "asked": 7, "welsh": 4, "welsh_share": 4 / 7},
    "youth_panels": YOUTH_PANELS_NONE,
    "complaints": {
        "complaints": 1,
        "compliments": 1,
        "answered": 1,
        "answered_in_time": 1,
        "in_time_share": 1.0,
        "median_days": 13.0,
        "upheld": 1,
        "escalated": 0,
    },
}

MONTH_SEVERN = {
    "referrals": {"received": 3, "accepted": 2, "declined": 1, "redirected": 0, "awaiting": 0},
    "funnel": {"step_0": 3, "step_1": 2, "step_2": 1, "step_3": 0, "step_4": 0, "step_5": 0, "completed_share": 0.0},
    "processes": {"processes": 2, "direct": 1, "indirect": 1, "virtual": 0, "completed": 2},
    "timeliness": {
        "contact_cases": 1,
        "contact_median": 10.0,
        "contact_p90": 10.0,
        "process_cases": 2,
        "process_median": 34.5,
        "process_p90": 38.9,
        "closure_cases": 1,
        "closure_median": 28.0,
        "closure_p90": 28.0,
    },
}

CUSTOM_SEVERN = {
    "referrals": {"received": 6, "accepted": 4, "declined": 0, "redirected": 1, "awaiting": 1},
    "processes": {"processes": 3, "direct": 2, "indirect": 1, "virtual": 1, "completed": 2},
    "feedback": {"surveys": 6},
}

# Why referrals stopped, financial year 2025, Severn: {reason: {step stopped at: referrals}}.
STOPS_SEVERN = {
    "declined": {0: 2},
    "redirected": {0: 1},
    "awaiting": {0: 2},
    "open": {1: 1, 2: 2, 3: 1, 4: 1},
    "harmed_declined": {2: 1},
    "unsuitable": {2: 1},
    "no_contact": {1: 1},
    "other": {4: 1},
}


@dataclass
class Dataset:
    personas: Personas
    severn: Service
    wye: Service
    partnership: Partnership
    referrals: dict[str, Referral] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)

    @property
    def scope_severn(self) -> Scope:
        return Scope((self.severn.pk,))

    @property
    def scope_wye(self) -> Scope:
        return Scope((self.wye.pk,))

    @property
    def scope_partnership(self) -> Scope:
        return Scope((self.severn.pk, self.wye.pk))


@dataclass(frozen=True)
class Spec:
    """One referral of the table above, and how far its case went."""

    key: str
    received: datetime.date
    source: ReferralSource
    offence: OffenceCategory
    stage: JusticeStage
    area: str
    reported: datetime.date | None
    told: datetime.date | None
    decision: TriageDecision = TriageDecision.ACCEPTED
    enhanced: bool = False
    # Where the builder takes the case, and its process.
    state: State = State.REFERRED
    process: ProcessKind = ProcessKind.FACE_TO_FACE
    contact: datetime.datetime | None = None
    suitable: datetime.datetime | None = None
    started: datetime.datetime | None = None
    closed: datetime.datetime | None = None
    reason: ClosureReason | None = None


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def noon(text: str) -> datetime.datetime:
    """12:00 UTC on the day: the same day in England and Wales, summer or winter."""
    return datetime.datetime.fromisoformat(f"{text}T12:00:00+00:00")


def utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{text}+00:00")


P = ReferralSource
O = OffenceCategory  # noqa: E741 - a short name keeps the table readable
J = JusticeStage
D = TriageDecision
K = ProcessKind
C = ClosureReason
FOLLOWING_UP = State.FOLLOWING_UP

SEVERN_SPECS = (
    Spec("S1", day("2025-04-07"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Gloucester", day("2025-04-01"),
         day("2025-04-08"), state=FOLLOWING_UP, contact=noon("2025-04-09"), suitable=noon("2025-04-22"),
         started=noon("2025-05-06"), closed=noon("2025-06-10"), reason=C.COMPLETED_DIRECT),
    Spec("S2", day("2025-04-10"), P.POLICE, O.VIOLENCE_WITH_INJURY, J.PRE_CHARGE, "Gloucester", day("2025-04-09"),
         day("2025-04-22"), state=FOLLOWING_UP, process=K.LETTERS, contact=noon("2025-04-14"),
         suitable=noon("2025-05-01"), started=noon("2025-05-20"), closed=noon("2025-07-15"),
         reason=C.COMPLETED_INDIRECT),
    Spec("S3", day("2025-04-15"), P.VICTIM_SERVICE, O.THEFT, J.OUT_OF_COURT, "Stroud", day("2025-04-15"),
         day("2025-04-24"), state=State.AGREEMENT_MONITORING, process=K.VIRTUAL, contact=noon("2025-04-16"),
         suitable=noon("2025-05-12"), started=noon("2025-06-02")),
    Spec("S4", day("2025-04-22"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Stroud", day("2025-04-17"), day("2025-04-23"),
         enhanced=True, state=State.PREPARING, contact=noon("2025-04-28"), suitable=noon("2025-05-27")),
    Spec("S5", day("2025-05-02"), P.PROBATION, O.VIOLENCE_WITHOUT_INJURY, J.COMMUNITY_SENTENCE, "Gloucester", None,
         day("2025-05-06"), state=State.ASSESSING, contact=noon("2025-05-12"), closed=noon("2025-05-30"),
         reason=C.HARMED_DECLINED),
    Spec("S6", day("2025-05-12"), P.SELF, O.CRIMINAL_DAMAGE, J.NOT_REPORTED, "", None, None, state=State.ALLOCATED,
         closed=noon("2025-06-23"), reason=C.NO_CONTACT),
    Spec("S7", day("2025-05-20"), P.POLICE, O.THEFT, J.PRE_CHARGE, "Gloucester", day("2025-05-19"), None,
         decision=D.DECLINED),
    Spec("S8", day("2025-06-03"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Stroud", day("2025-06-02"), day("2025-06-05"),
         decision=D.REDIRECTED),
    Spec("S9", day("2025-06-16"), P.YOUTH_JUSTICE, O.CRIMINAL_DAMAGE, J.OUT_OF_COURT, "Gloucester",
         day("2025-06-13"), day("2025-06-18"), state=FOLLOWING_UP, contact=noon("2025-06-17"),
         suitable=noon("2025-07-01"), started=noon("2025-07-22"), closed=noon("2025-09-30"),
         reason=C.COMPLETED_DIRECT),
    Spec("S10", day("2025-06-30"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Gloucester", day("2025-06-25"),
         day("2025-07-10"), decision=D.AWAITING),
    Spec("S11", day("2025-07-08"), P.POLICE, O.VIOLENCE_WITH_INJURY, J.COMMUNITY_SENTENCE, "Stroud",
         day("2025-07-01"), day("2025-07-07"), state=FOLLOWING_UP, process=K.SHUTTLE, contact=noon("2025-07-11"),
         suitable=noon("2025-08-05"), started=noon("2025-08-26"), closed=noon("2025-11-04"),
         reason=C.COMPLETED_INDIRECT),
    Spec("S12", day("2025-08-12"), P.COURT, O.THEFT, J.PRE_CHARGE, "", day("2025-08-04"), day("2025-08-20"),
         state=State.ASSESSING, contact=noon("2025-08-19")),
    Spec("S13", day("2025-09-09"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Gloucester", day("2025-09-08"),
         day("2025-09-10"), state=State.IN_PROCESS, contact=noon("2025-09-16"), suitable=noon("2025-10-07"),
         started=noon("2025-10-28"), closed=noon("2025-12-02"), reason=C.OTHER),
    Spec("S14", day("2025-10-14"), P.VICTIM_SERVICE, O.STALKING_HARASSMENT, J.PRE_CHARGE, "Stroud", day("2025-10-13"),
         day("2025-10-14"), enhanced=True, state=State.ASSESSING, contact=noon("2025-10-20"),
         closed=noon("2025-11-10"), reason=C.UNSUITABLE),
    Spec("S15", day("2025-11-18"), P.POLICE, O.THEFT, J.OUT_OF_COURT, "Gloucester", day("2025-11-17"), None,
         decision=D.DECLINED),
    Spec("S16", day("2025-12-15"), P.PROBATION, O.BURGLARY, J.CUSTODY, "Gloucester", None, day("2025-12-16")),
    Spec("S17", day("2026-01-20"), P.POLICE, O.VIOLENCE_WITH_INJURY, J.PRE_CHARGE, "Stroud", day("2026-01-19"),
         day("2026-01-21"), state=FOLLOWING_UP, contact=noon("2026-01-22"), suitable=noon("2026-02-05"),
         started=noon("2026-03-10"), closed=utc("2026-03-31T23:30:00"), reason=C.COMPLETED_DIRECT),
    Spec("S18", day("2026-02-10"), P.SELF, O.CRIMINAL_DAMAGE, J.NOT_REPORTED, "", None, None, decision=D.AWAITING),
    Spec("S19", day("2026-03-31"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Gloucester", day("2026-03-30"),
         day("2026-04-02"), state=State.ASSESSING, contact=utc("2026-04-01T10:00:00")),
    Spec("S20", day("2025-03-20"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Gloucester", day("2025-03-18"),
         day("2025-03-21"), state=FOLLOWING_UP, contact=utc("2025-03-31T23:30:00"), suitable=noon("2025-04-10"),
         started=noon("2025-04-29"), closed=noon("2025-06-20"), reason=C.COMPLETED_DIRECT),
    Spec("S21", day("2026-04-14"), P.POLICE, O.THEFT, J.PRE_CHARGE, "Stroud", None, None, decision=D.DECLINED),
)  # fmt: skip

WYE_SPECS = (
    Spec("W1", day("2025-04-09"), P.POLICE, O.BURGLARY, J.PRE_CHARGE, "Hereford", day("2025-04-08"),
         day("2025-04-11"), state=FOLLOWING_UP, contact=noon("2025-04-10"), suitable=noon("2025-04-24"),
         started=noon("2025-05-15"), closed=noon("2025-07-01"), reason=C.COMPLETED_DIRECT),
    Spec("W2", day("2025-05-14"), P.PROBATION, O.THEFT, J.COMMUNITY_SENTENCE, "Hereford", None, None,
         state=State.ASSESSING, contact=noon("2025-05-21")),
    Spec("W3", day("2025-07-16"), P.POLICE, O.VIOLENCE_WITHOUT_INJURY, J.PRE_CHARGE, "Ross", day("2025-07-15"),
         day("2025-07-25"), decision=D.DECLINED),
    Spec("W4", day("2025-09-24"), P.VICTIM_SERVICE, O.BURGLARY, J.OUT_OF_COURT, "Ross", day("2025-09-22"),
         day("2025-09-26"), state=FOLLOWING_UP, process=K.LETTERS, contact=noon("2025-09-29"),
         suitable=noon("2025-10-15"), started=noon("2025-11-05"), closed=noon("2026-01-13"),
         reason=C.COMPLETED_INDIRECT),
    Spec("W5", day("2026-02-04"), P.POLICE, O.THEFT, J.PRE_CHARGE, "Hereford", day("2026-02-02"), None,
         decision=D.AWAITING),
)  # fmt: skip

# The actions added to each agreement besides the apology the builder makes: (kind, "completed", "not" or
# "withdrawn"); and what becomes of the apology ("completed", or "open").
EXTRA_ACTIONS = {
    "S1": [(ActionKind.EXPLANATION, "not")],
    "S2": [(ActionKind.EXPLANATION, "withdrawn")],
    "S3": [(ActionKind.REPARATION, "completed")],
    "S11": [(ActionKind.REPARATION, "completed"), (ActionKind.EXPLANATION, "not")],
    "S17": [(ActionKind.REPARATION, "withdrawn")],
    "W1": [(ActionKind.REPARATION, "not")],
}
AGREEMENT_MADE = {
    "S1": "2025-05-06",
    "S2": "2025-05-21",
    "S3": "2025-06-02",
    "S9": "2025-07-22",
    "S11": "2025-08-27",
    "S13": "2025-10-28",
    "S17": "2026-03-10",
    "S20": "2025-04-29",
    "W1": "2025-05-15",
    "W4": "2025-11-06",
}

Y, N, Q, BLANK = Answer.YES, Answer.NO, Answer.NOT_SURE, ""
# (case, role, taken on, satisfaction, recommend, safe, better, cope, recover, fear before, fear after)
SURVEYS = (
    ("S1", "harmed", "2025-06-05", 5, Y, Y, Y, Y, Q, 8, 3),
    ("S1", "responsible", "2025-06-05", 4, Y, Y, N, BLANK, BLANK, None, None),
    ("S2", "harmed", "2025-07-01", 3, N, Y, Q, N, N, 6, 6),
    ("S9", "harmed", "2025-09-15", 5, Y, Y, Y, Y, Y, 9, 2),
    ("S9", "responsible", "2025-09-15", None, Q, BLANK, Y, BLANK, BLANK, 4, None),
    ("S11", "harmed", "2025-10-20", 2, N, N, N, N, Q, 7, 5),
    ("S20", "harmed", "2025-06-01", 4, Y, Y, Y, Y, Y, 5, 1),
    ("W1", "harmed", "2025-06-25", 5, Y, Y, Y, Y, Y, 10, 4),
    ("S17", "harmed", "2026-04-02", 1, N, N, N, N, N, 9, 9),
    ("W4", "harmed", "2025-12-10", 4, Y, Y, BLANK, Y, Y, None, None),
)

# (case, process date, checked on, before, after), in the order checked.
REOFFENDING_CHECKS = (
    ("S1", "2025-05-06", "2025-05-08", 3, None),
    ("S1", "2025-05-06", "2026-05-07", 3, 1),
    ("S2", "2025-05-20", "2026-05-21", 4, 3),
    ("S2", "2025-05-20", "2026-06-15", 4, 2),
    ("S9", "2025-07-22", "2026-07-23", 2, 0),
    ("S11", "2025-08-26", "2026-08-27", 1, 2),
    ("S20", "2025-04-29", "2026-04-30", 5, 5),
    ("S17", "2026-03-10", "2026-03-12", 2, None),
    ("W1", "2025-05-15", "2026-05-20", 2, 1),
    ("W4", "2025-11-05", "2026-11-10", 0, 0),
)

LANGUAGES = {
    ("S1", "harmed"): Language.WELSH,
    ("S1", "responsible"): Language.ENGLISH,
    ("S2", "harmed"): Language.ENGLISH,
    ("S2", "responsible"): Language.ENGLISH,
    ("S3", "harmed"): Language.BOTH,
    ("S9", "harmed"): Language.WELSH,
    ("S9", "responsible"): Language.WELSH,
    ("S11", "harmed"): Language.ENGLISH,
    ("S13", "responsible"): Language.ENGLISH,
    ("W1", "harmed"): Language.WELSH,
    ("W1", "responsible"): Language.ENGLISH,
}
EQUALITY = {
    ("S1", "harmed"): {"ethnicity": "white", "sex": "female", "age_band": "35_44"},
    ("S2", "harmed"): {"ethnicity": "asian", "sex": "male", "age_band": "25_34"},
    ("S3", "harmed"): {"ethnicity": "white", "sex": "prefer_not_to_say"},
    ("S9", "harmed"): {"ethnicity": "black", "sex": "female", "age_band": "45_54"},
    ("S11", "harmed"): {"ethnicity": "white", "sex": "male", "age_band": "35_44"},
    ("W1", "harmed"): {"ethnicity": "mixed", "sex": "female", "age_band": "55_64"},
    ("S1", "responsible"): {"ethnicity": "white", "sex": "male"},
    ("S9", "responsible"): {"ethnicity": "white", "sex": "male", "age_band": "under_18"},
}
ROLES = {"harmed": ParticipantRole.PERSON_HARMED, "responsible": ParticipantRole.PERSON_RESPONSIBLE}


class _Builder:
    def __init__(self, service: Service, coordinator: User, facilitator: User, dataset: Dataset) -> None:
        self.service, self.coordinator, self.facilitator, self.dataset = service, coordinator, facilitator, dataset

    def mine(self, key: str) -> bool:
        return key in self.dataset.cases and self.dataset.cases[key].service_id == self.service.pk

    def participant(self, key: str, role: str) -> Participant:
        return self.dataset.cases[key].participants.get(role=ROLES[role])

    def refresh(self, key: str) -> Case:
        case = Case.objects.get(pk=self.dataset.cases[key].pk)
        self.dataset.cases[key] = case
        return case

    def move(self, key: str, name: str, **extra: object) -> None:
        actor = self.coordinator if name == "close" else self.facilitator
        case_services.transition_case(case=self.refresh(key), actor=actor, name=name, **extra)
        self.refresh(key)

    def referral(self, spec: Spec) -> None:
        """The referral and its case, taken through the services as far as the spec says."""
        if spec.decision != TriageDecision.ACCEPTED:
            referral = make_referral(service=self.service, actor=self.coordinator)
            if spec.decision == TriageDecision.DECLINED:
                referral_services.decline_referral(referral=referral, actor=self.coordinator, reason="Out of scope")
            elif spec.decision == TriageDecision.REDIRECTED:
                referral_services.redirect_referral(
                    referral=referral, actor=self.coordinator, reason="Better served", redirected_to="Victim Support"
                )
            self.dataset.referrals[spec.key] = referral
            return
        if spec.process == ProcessKind.VIRTUAL:
            self.virtual(spec)
        else:
            built = build_case(
                service=self.service,
                coordinator=self.coordinator,
                facilitator=self.facilitator,
                state=State.AGREEMENT_MONITORING if spec.state == FOLLOWING_UP else spec.state,
                process=spec.process,
            )
            self.dataset.cases[spec.key] = built.case
        case = self.refresh(spec.key)
        self.dataset.referrals[spec.key] = Referral.objects.get(case=case)
        if spec.key in AGREEMENT_MADE and spec.state == State.IN_PROCESS:
            agree_outcome(case, self.facilitator)  # the apology stays open
        self.actions(spec)

    def virtual(self, spec: Spec) -> None:
        """A virtual conference: booked on a video platform, then held, then the agreement monitored."""
        built = build_case(
            service=self.service,
            coordinator=self.coordinator,
            facilitator=self.facilitator,
            state=State.PREPARING,
            process=ProcessKind.VIRTUAL,
        )
        self.dataset.cases[spec.key] = built.case
        book_conference(built.case, self.facilitator, platform=Platform.TEAMS, starts_at=day_at(10, days=3))
        self.move(spec.key, "start_process")
        agree_outcome(self.refresh(spec.key), self.facilitator)
        self.move(spec.key, "record_agreement")

    def actions(self, spec: Spec) -> None:
        """The extra actions and what became of them; then monitoring finishes for the cases that went on."""
        if spec.state not in {FOLLOWING_UP, State.AGREEMENT_MONITORING}:
            return
        case = self.refresh(spec.key)
        responsible = self.participant(spec.key, "responsible")
        for kind, outcome in EXTRA_ACTIONS.get(spec.key, []):
            action = outcome_services.add_action(
                case=case,
                actor=self.facilitator,
                kind=kind,
                description="Agreed at the meeting.",
                owner=responsible,
                due_on=timezone.localdate(),
            )
            if outcome == "withdrawn":
                outcome_services.withdraw_action(action=action, actor=self.facilitator, reason="Varied by consent")
            else:
                outcome_services.verify_action(
                    action=action, actor=self.facilitator, completed=outcome == "completed", note="Not done in time."
                )
        if spec.state == FOLLOWING_UP:
            apology = AgreementAction.objects.get(agreement__case=case, kind=ActionKind.APOLOGY)
            outcome_services.verify_action(action=apology, actor=self.facilitator, completed=True, note="")
            self.move(spec.key, "finish_monitoring")

    def follow_up(self) -> None:
        for key, role, taken_on, *answers in SURVEYS:
            if not self.mine(key):
                continue
            satisfaction, recommend, safe, better, cope, recover, before, after = answers
            followup_services.record_survey(
                case=self.refresh(key),
                actor=self.facilitator,
                participant=self.participant(key, role),
                taken_on=day(taken_on),
                method=SurveyMethod.PHONE,
                answers=SurveyAnswers(
                    satisfaction=satisfaction,
                    would_recommend=recommend,
                    felt_safe=safe,
                    felt_better=better,
                    better_able_to_cope=cope,
                    better_able_to_recover=recover,
                    fear_before=before,
                    fear_after=after,
                ),
            )
        for key, process_on, checked_on, before, after in REOFFENDING_CHECKS:
            if not self.mine(key):
                continue
            followup_services.record_reoffending_check(
                case=self.refresh(key),
                actor=self.facilitator,
                participant=self.participant(key, "responsible"),
                offences_before=before,
                offences_after=after,
                source=ReoffendingSource.PNC,
                checked_on=day(checked_on),
                process_on=day(process_on),
            )

    def people(self) -> None:
        for (key, role), language in LANGUAGES.items():
            if not self.mine(key):
                continue
            person = self.participant(key, role).person
            people_services.update_person(
                person=person,
                actor=self.facilitator,
                case=self.refresh(key),
                details={"correspondence_language": language},
                expected_version=person.version,
            )
        for (key, role), answers in EQUALITY.items():
            if not self.mine(key):
                continue
            people_services.record_equality(
                person=self.participant(key, role).person,
                actor=self.facilitator,
                case=self.refresh(key),
                answers=answers,
            )

    def close(self, spec: Spec) -> None:
        if spec.reason is not None:
            self.move(spec.key, "close", closure_reason=spec.reason)


def _set_dates(spec: Spec, dataset: Dataset) -> None:
    """The dates of the table, written directly: the services stamp today on everything."""
    referral = Referral.objects.get(pk=dataset.referrals[spec.key].pk)
    referral.received_on = spec.received
    referral.source = spec.source
    referral.offence_category = spec.offence
    referral.justice_stage = spec.stage
    referral.area = spec.area
    referral.reported_on = spec.reported
    referral.enhanced_rights = EnhancedRightsGround.VULNERABLE_OR_INTIMIDATED if spec.enhanced else ""
    referral.victim_told_about_rj_on = spec.told
    referral.victim_told_about_rj_by = "Police" if spec.told else ""
    referral.save()  # computes right_3_due_on
    dataset.referrals[spec.key] = referral
    if referral.case_id is None:
        return
    Case.objects.filter(pk=referral.case_id).update(
        opened_at=noon(spec.received.isoformat()),
        first_contact_at=spec.contact,
        suitable_at=spec.suitable,
        process_started_at=spec.started,
        closed_at=spec.closed,
    )
    if spec.key in AGREEMENT_MADE:
        OutcomeAgreement.objects.filter(case_id=referral.case_id).update(made_on=day(AGREEMENT_MADE[spec.key]))


def _facilitators(personas: Personas, wye: Service) -> None:
    """The practitioners of the table above, with the dates they joined set directly."""
    long_ago = utc("2024-01-01T09:00:00")
    f1 = personas.facilitator
    MembershipFactory(user=f1, service=wye, role=Role.FACILITATOR)
    Membership.objects.filter(user=f1).update(created_at=long_ago)
    record = f1.facilitator_record
    record.rjc_level, record.registration_expires_on = RJCLevel.INTERMEDIATE, day("2027-01-31")
    record.save()
    SupervisionSessionFactory(record=record, service=personas.service, held_on=day("2026-02-20"))
    for on, hours in (("2025-06-01", 5), ("2025-10-01", 4), ("2026-03-01", 3)):
        CPDRecordFactory(record=record, completed_on=day(on), hours=hours)

    def facilitator(service: Service, joined: str, **record: object) -> tuple[User, object]:
        user = UserFactory()
        membership = MembershipFactory(user=user, service=service, role=Role.FACILITATOR)
        Membership.objects.filter(pk=membership.pk).update(created_at=utc(f"{joined}T09:00:00"))
        return user, FacilitatorRecordFactory(user=user, **record) if record else None

    _f2, r2 = facilitator(personas.service, "2024-06-01", rjc_level=RJCLevel.ADVANCED, registration_number="")
    SupervisionSessionFactory(record=r2, service=personas.service, held_on=day("2025-12-01"))
    CPDRecordFactory(record=r2, completed_on=day("2025-04-15"), hours=10)
    CPDRecordFactory(record=r2, completed_on=day("2026-01-10"), hours=5)
    _f3, r3 = facilitator(
        personas.service, "2025-01-01", rjc_level=RJCLevel.FOUNDATION, registration_expires_on=day("2026-03-31")
    )
    SupervisionSessionFactory(record=r3, service=personas.service, held_on=day("2026-01-07"))
    CPDRecordFactory(record=r3, completed_on=day("2025-03-31"), hours=6)
    CPDRecordFactory(record=r3, completed_on=day("2026-02-01"), hours=2)
    f4, _r4 = facilitator(personas.service, "2025-09-01", rjc_level=RJCLevel.INTERMEDIATE)
    Membership.objects.filter(user=f4).update(ended_at=utc("2026-02-15T17:00:00"))
    facilitator(personas.service, "2026-05-01", rjc_level=RJCLevel.INTERMEDIATE)
    facilitator(personas.service, "2024-01-01")  # F7: no facilitator record
    f8, _r8 = facilitator(personas.service, "2024-01-01", rjc_level=RJCLevel.INTERMEDIATE)
    User.objects.filter(pk=f8.pk).update(is_active=False)
    _f6, r6 = facilitator(wye, "2024-01-01", rjc_level=RJCLevel.INTERMEDIATE, registration_expires_on=day("2026-03-30"))
    SupervisionSessionFactory(record=r6, service=wye, held_on=day("2026-03-31"))
    CPDRecordFactory(record=r6, completed_on=day("2026-03-31"), hours=12)


# (kind, received, answered, outcome, escalated)
COMPLAINTS = (
    (ComplaintKind.COMPLAINT, "2025-05-06", "2025-05-19", Outcome.UPHELD, None),
    (ComplaintKind.COMPLAINT, "2025-08-20", "2025-09-05", Outcome.NOT_UPHELD, "2025-09-20"),
    (ComplaintKind.COMPLAINT, "2025-11-03", "2025-11-10", Outcome.WITHDRAWN, None),
    (ComplaintKind.COMPLAINT, "2026-02-02", None, None, None),
    (ComplaintKind.COMPLAINT, "2026-03-02", "2026-03-04", Outcome.PARTLY_UPHELD, None),
    (ComplaintKind.COMPLAINT, "2025-03-25", "2025-03-28", Outcome.NOT_UPHELD, None),
    (ComplaintKind.COMPLIMENT, "2025-06-10", None, None, None),
    (ComplaintKind.COMPLIMENT, "2026-04-20", None, None, None),
    (ComplaintKind.OTHER, "2025-07-01", None, None, None),
)


def _complaints(personas: Personas) -> None:
    coordinator = personas.coordinator
    for kind, received, answered, outcome, escalated in COMPLAINTS:
        complaint = complaint_services.record_complaint(
            service=personas.service,
            actor=coordinator,
            kind=kind,
            received_on=day(received),
            channel=Channel.EMAIL,
            from_role=FromRole.PERSON_HARMED,
            summary="About how long it took.",
            handler=coordinator if kind == ComplaintKind.COMPLAINT else None,
        )
        if answered is not None and outcome is not None:
            complaint = complaint_services.respond_to_complaint(
                complaint=complaint, actor=coordinator, responded_on=day(answered), outcome=outcome, response="Sorry."
            )
        if escalated is not None:
            complaint_services.escalate_complaint(
                complaint=complaint,
                actor=coordinator,
                escalated_on=day(escalated),
                escalated_to=EscalatedTo.ORGANISATION,
            )


def build_dataset() -> Dataset:
    """Build the table above (about 20 seconds)."""
    personas = build_personas()
    wye = ServiceFactory(name="Wye Test Service")
    personas.partnership.services.add(wye)
    wye_coordinator = UserFactory(full_name="Wye Coordinator")
    MembershipFactory(user=wye_coordinator, service=wye, role=Role.COORDINATOR)
    _facilitators(personas, wye)
    dataset = Dataset(personas=personas, severn=personas.service, wye=wye, partnership=personas.partnership)
    builders = (
        (_Builder(personas.service, personas.coordinator, personas.facilitator, dataset), SEVERN_SPECS),
        (_Builder(wye, wye_coordinator, personas.facilitator, dataset), WYE_SPECS),
    )
    for builder, specs in builders:
        for spec in specs:
            builder.referral(spec)
        builder.people()
        builder.follow_up()
    # A supporter of the person harmed in S12, who asked for English.
    severn = builders[0][0]
    people_services.add_participant(
        case=severn.refresh("S12"),
        actor=personas.facilitator,
        role=ParticipantRole.SUPPORTER,
        details={"given_name": "Sam", "family_name": "Supporter", "correspondence_language": Language.ENGLISH},
        supports=severn.participant("S12", "harmed"),
    )
    # S9's person responsible is a child: the flag a coordinator sets on the case.
    case_services.update_case_details(
        case=severn.refresh("S9"),
        actor=personas.coordinator,
        details={"sensitivity_flags": [SensitivityFlag.CHILD_PARTICIPANT]},
        expected_version=None,
    )
    for builder, specs in builders:
        for spec in specs:
            if spec.key in dataset.cases:
                builder.close(spec)
    for spec in (*SEVERN_SPECS, *WYE_SPECS):
        _set_dates(spec, dataset)
    _complaints(personas)
    return dataset
