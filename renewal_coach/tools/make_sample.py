"""Generate ``data/sample_portfolio.json``: ``python -m renewal_coach.tools.make_sample``.

The sample is a fictional book of thirty UK-style customers that a coach can teach with. The
accounts, people, contracts, goals, evidence, concerns and the scenes each account is built to
show are written by hand below; a seeded :class:`random.Random` (one stream per account) fills
in the routine contact history around those scenes. Every run writes the same bytes.

Dates are whole-day offsets from the day the sample is loaded (``-45`` is 45 days before it),
so the sample never goes stale. Ids are UUID5 values from a fixed namespace and a stable key.

Before writing, :func:`check` recomputes contribution segments, engagement balance and the
engagement flags of DOMAIN.md 3.1 and 3.2 from the generated rows, under every reasonable
reading of the rules, and refuses to write a file in which an account misses the band or flags
it was designed for. The design itself is written into the file (``design``) and summarised in
data/README.md.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core import models as m
from ..paths import NotASourceTreeError, source_path

SEED = 20_260_101
NAMESPACE = uuid.UUID("8a4f2a57-1d1b-4c59-9f5e-6b3f3f2e7c10")
FORMAT = "renewal-coach-sample"
FORMAT_VERSION = 1
#: Where the sample is written, relative to the source tree (never into an installed copy).
OUTPUT = ("data", "sample_portfolio.json")

MONTH_DAYS = 30.44
#: Last day of the engagement window (DOMAIN.md 3.2 looks back 90 days). Generated contact keeps
#: clear of days -93..-87 so that "90 days" versus "91 days" cannot change a result.
WINDOW = 90
QUIET_EDGE = range(-93, -86)

EXEC = "executive_review"
WORKSHOP = "workshop"
MEETING = "meeting"
CALL = "call"
SURVEY = "feedback_request"
PITCH = "sales_pitch"
ESCALATION = "escalation"
EMAIL = "email"
RECAP = "value_recap"
HOSPITALITY = "hospitality"
CLARIFY = "tender_clarification"

WEIGHTS: dict[str, float] = {
    EXEC: 3,
    WORKSHOP: 2,
    MEETING: 2,
    CALL: 1,
    SURVEY: 1,
    PITCH: 1,
    ESCALATION: 1,
    EMAIL: 0.5,
    RECAP: 0.5,
    HOSPITALITY: 0.5,
    CLARIFY: 0,
}
SEGMENT_TARGET = {"treasure": 6, "develop": 3, "maintain": 1.5, "drain": 0.75, "unrated": 3}
ACTIVE = ("active", "renewing")
ENTITY: dict[str, type[Any]] = {
    "accounts": m.Account,
    "contracts": m.Contract,
    "stakeholders": m.Stakeholder,
    "goals": m.CustomerGoal,
    "interactions": m.Interaction,
    "evidence": m.ValueEvidence,
    "concerns": m.Concern,
    "improvements": m.Improvement,
    "change_events": m.ChangeEvent,
    "milestones": m.Milestone,
    "commitments": m.Commitment,
}
TENDER_ROUTES = ("selective_tender", "open_tender", "panel")
FLAGS = (
    "noise",
    "survey_fatigue",
    "fear_concession",
    "pitch_heavy",
    "single_thread",
    "intrusive",
    "probity",
)


def mo(months: float) -> int:
    """Whole days in ``months`` average months (so ``mo(-3)`` is about three months ago)."""
    return round(months * MONTH_DAYS)


def uid(kind: str, key: str) -> str:
    """A stable UUID for one record: the same kind and key always give the same id."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


# ---- building blocks for the hand-written data ---------------------------------------------


def econ(
    revenue: int,
    contribution: int,
    hours: int,
    rate: int,
    bid: int = 0,
    special: int = 0,
    support: int = 0,
) -> dict[str, Any]:
    """Account money in pounds (or euros); direct cost is derived so contribution is exact."""
    cost_to_serve = hours * rate + bid + special + support
    direct = revenue - contribution - cost_to_serve
    assert direct > 0, (revenue, contribution, cost_to_serve)
    return {
        "revenue_12m_minor": revenue * 100,
        "direct_cost_12m_minor": direct * 100,
        "serve_hours_12m": str(hours),
        "hourly_rate_minor": rate * 100,
        "bid_cost_minor": bid * 100,
        "special_terms_cost_minor": special * 100,
        "support_cost_minor": support * 100,
    }


def person(
    key: str,
    name: str,
    title: str,
    function: str,
    buying: str,
    strategic: str,
    influence: str,
    attitude: str,
    mode: str,
    since: int | None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "title": title,
        "function": function,
        "in_role_since": since,
        "buying_role": buying,
        "strategic_role": strategic,
        "influence": influence,
        "attitude": attitude,
        "response_mode": mode,
        **extra,
    }


def contract(
    title: str, reference: str, start: int, end: int, value: int, **extra: Any
) -> dict[str, Any]:
    return {
        "title": title,
        "reference": reference,
        "start_date": start,
        "end_date": end,
        "annual_value_minor": value * 100,
        **extra,
    }


def goal(
    key: str,
    statement: str,
    metric: str,
    frm: str,
    to: str,
    by: int | None,
    horizon: str,
    priority: int,
    confirmed: tuple[str, int] | None = None,
    response: str = "",
) -> dict[str, Any]:
    return {
        "key": key,
        "statement": statement,
        "metric": metric,
        "metric_from": frm,
        "metric_to": to,
        "target_date": by,
        "horizon": horizon,
        "priority": priority,
        "confirmed": confirmed,
        "our_response": response,
    }


def evidence(
    description: str,
    metric: str,
    before: str,
    after: str,
    period: tuple[int, int],
    validated: tuple[str, int] | None = None,
    link: str = "",
) -> dict[str, Any]:
    return {
        "description": description,
        "metric": metric,
        "before": before,
        "after": after,
        "period_start": period[0],
        "period_end": period[1],
        "validated": validated,
        "link": link,
    }


def concern(
    description: str,
    severity: int,
    opened: int,
    resolved: int | None = None,
    visible: bool = True,
    action: str = "",
) -> dict[str, Any]:
    return {
        "description": description,
        "severity": severity,
        "opened_on": opened,
        "resolved_on": resolved,
        "visible_to_customer": visible,
        "recovery_action": action,
    }


def improvement(
    title: str,
    description: str,
    status: str,
    proposed: int,
    delivered: int | None = None,
    acknowledged: int | None = None,
    goal_key: str | None = None,
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "status": status,
        "proposed_on": proposed,
        "delivered_on": delivered,
        "acknowledged_on": acknowledged,
        "goal": goal_key,
    }


def change(
    kind: str, day: int, description: str, response: str = "", responded: int | None = None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "occurred_on": day,
        "description": description,
        "response": response,
        "responded_on": responded,
    }


def milestone(
    reference: str, code: str, occurrence: int, done: int, owner: str, note: str = ""
) -> dict[str, Any]:
    return {
        "contract": reference,
        "code": code,
        "occurrence": occurrence,
        "done_on": done,
        "owner": owner,
        "note": note,
    }


def commitment(
    party: str, description: str, owner: str, due: int, done: int | None = None
) -> dict[str, Any]:
    return {
        "party": party,
        "description": description,
        "owner": owner,
        "due_on": due,
        "done_on": done,
    }


def scene(day: int, kind: str, people: list[str] | None, purpose: str, **extra: Any) -> dict:
    """One hand-written interaction on a fixed day (the generator fills what is left out)."""
    return {"day": day, "type": kind, "people": people, "purpose": purpose, **extra}


# ---- wording for generated contact ----------------------------------------------------------

PURPOSES: dict[str, list[str]] = {
    EXEC: [
        "Annual review of the {svc} contract with their leadership: results against the KPIs "
        "and what they need from us next year",
        "Quarterly executive review: performance, open risks and their priorities for the "
        "coming year",
        "Executive review built around their three-year plans and where the {svc} work fits",
        "Half-year review with the sponsor and finance: cost trends and the improvement plan",
    ],
    WORKSHOP: [
        "Joint workshop to map the next phase of {svc} against their site plans",
        "Planning workshop: which assets to replace, repair or retire over three years",
        "Workshop with their engineers on cutting reactive call-outs",
        "Energy and carbon workshop: options to reduce consumption across their estate",
        "Lessons-learned session after the winter peak, with their operations leads",
    ],
    MEETING: [
        "Monthly service meeting: KPIs, open jobs and the works coming up",
        "Walk-round of the main site with their facilities lead to agree priorities",
        "Meeting to plan the shutdown works and who needs to be on site",
        "Budget planning meeting for next year's planned maintenance",
        "Contract meeting: variations, invoice queries and the forward plan",
        "Introduced our new supervisor to their team and agreed how to raise urgent jobs",
        "Reviewed the condition survey findings together and ranked the repairs",
    ],
    CALL: [
        "Call to agree dates for the next planned maintenance visits",
        "Follow-up call on the actions from the service meeting",
        "Talked through a query on the additional works invoice",
        "Agreed access arrangements for the weekend works",
        "Checked the repair from last week was holding and the team was happy",
        "Call to explain the delay on parts and the interim fix",
    ],
    SURVEY: [
        "Sent our annual satisfaction survey",
        "Asked for a rating of the {svc} service this quarter",
    ],
    PITCH: [
        "Presented our remote monitoring add-on",
        "Pitched an energy-saving retrofit package",
        "Presented a bundled cleaning and maintenance offer",
        "Showed our new compliance software and offered a trial",
    ],
    ESCALATION: [
        "They escalated a repeat fault and asked for a root-cause review",
        "Escalation over a missed response time on an urgent job",
        "Complaint about a subcontractor's conduct on site; actions agreed",
    ],
    EMAIL: [
        "Sent the monthly KPI pack with notes on the two missed targets",
        "Proposed dates for the statutory testing programme",
        "Shared the updated asset register after the condition survey",
        "Answered their questions on the variation quote",
        "Sent next quarter's draft works plan for their comments",
        "Confirmed the actions and owners from the last meeting",
    ],
    RECAP: [
        "Sent a one-page summary of savings and fixes delivered this quarter",
        "Shared the half-year value report: what changed for their teams",
        "Wrote up the results of the recent improvement in their own measures",
    ],
    HOSPITALITY: [
        "Lunch with the site team after the quarterly review",
        "Hosted two of their managers at an industry awards dinner",
    ],
    CLARIFY: [
        "Submitted clarification questions through the tender portal",
        "Answered a clarification request on the tender portal",
    ],
}
NOISE_PURPOSES = {
    EMAIL: [
        "Forwarded our company newsletter",
        "Chased for a reply to last week's email",
        "Sent a seasonal greeting with a link to our new brochure",
        "Emailed to say we are always here if they need anything",
    ],
    CALL: [
        "Checking in to see if there was anything they needed",
        "Courtesy call; nothing specific to discuss",
        "Called to keep the relationship warm; no agenda",
    ],
}
OUTCOMES = [
    "Three actions agreed, each with a named owner",
    "They asked for costed options by the end of the month",
    "Went well; they want the same format next time",
    "Two new priorities came up; logged as goals to confirm",
    "Useful discussion, but no decisions until their budget is set",
]
NEXT_STEPS = [
    "Send the notes and action log within two days",
    "Book the follow-up for six weeks' time",
    "Prepare costed options",
    "Share the repeat-fault data before the next meeting",
]
CHANNELS = {
    EXEC: ["in_person"],
    WORKSHOP: ["in_person", "in_person", "video"],
    MEETING: ["in_person", "video"],
    CALL: ["phone", "video"],
    SURVEY: ["email", "portal"],
    PITCH: ["in_person", "video"],
    ESCALATION: ["phone", "email"],
    EMAIL: ["email"],
    RECAP: ["email", "in_person"],
    HOSPITALITY: ["in_person"],
    CLARIFY: ["portal"],
}
EFFORT = {
    EXEC: ("6", "8"),
    WORKSHOP: ("6", "8", "10"),
    MEETING: ("2", "3", "4"),
    CALL: ("0.5", "1"),
    SURVEY: ("1",),
    PITCH: ("3", "4", "6"),
    ESCALATION: ("2", "3", "5"),
    EMAIL: ("0.5",),
    RECAP: ("1.5", "2"),
    HOSPITALITY: ("4",),
    CLARIFY: ("2", "3"),
}
GROUP_SIZE = {EXEC: (2, 3), WORKSHOP: (2, 3), MEETING: (1, 2), CLARIFY: (0, 0)}

MIX_TREASURE = {EXEC: 0.7, WORKSHOP: 0.8, MEETING: 3, CALL: 3, EMAIL: 3, RECAP: 1, HOSPITALITY: 0.3}
MIX_STANDARD = {MEETING: 2, CALL: 3, EMAIL: 4, RECAP: 1, ESCALATION: 0.3}
MIX_LIGHT = {MEETING: 1, CALL: 2, EMAIL: 4, RECAP: 1}


# ---- the portfolio --------------------------------------------------------------------------
# Contributions (in thousands) are set so the ranking is unambiguous: the top six carry about
# 81% of positive contribution, the 80% and 95% lines fall inside accounts 6 and 11 (whose
# contact is sized to give the same band under either neighbouring segment), and every
# account built to show a band sits well inside its segment.

# The table is kept in a compact, hand-aligned layout (one person, goal or concern per call) that
# the formatter would explode to one argument per line; ruff check still lints it.
# fmt: off
ACCOUNTS: list[dict[str, Any]] = [
    {
        "key": "calderbrook",
        "account": {
            "name": "Calderbrook Logistics plc",
            "industry": "Logistics",
            "region": "Yorkshire and the Humber",
            "owner": "Tom Ashworth",
            "customer_since": mo(-132),
            "reference_site": True,
            "notes": "Our largest account by contribution. Contact has thinned out since "
            "Sandeep, who sponsored us, moved up to a group role. The warehouse contract "
            "decision is due within a year.",
        },
        "money": econ(9_800_000, 2_450_000, 2600, 85, special=60_000, support=90_000),
        "service": "warehouse facilities",
        "contracts": [
            contract(
                "Warehouse facilities services, Goole and Doncaster hubs",
                "CLB-FM-2021",
                mo(-47),
                mo(13),
                6_200_000,
                notice_period_days=180,
                procurement_route="negotiated",
                decision_date=mo(9),
                kpis_total=24,
                kpis_met=15,
                price_gap_pct="6.5",
                walk_away="No renewal below a 14% gross margin, and no uncapped liability for "
                "chilled stock losses.",
                notes="Decision expected from their CFO; procurement will run a benchmark.",
            ),
            contract(
                "Depot fleet workshop maintenance",
                "CLB-FLT-2024",
                mo(-6),
                mo(30),
                2_900_000,
                notice_period_days=90,
                procurement_route="option_to_extend",
                extension_months=12,
                extension_exercise_by=mo(24),
                extension_holder="customer",
                kpis_total=10,
                kpis_met=9,
            ),
        ],
        "people": [
            person("graham", "Graham Whitlock", "Chief Financial Officer", "Finance",
                   "economic_buyer", "key_player", "high", "neutral", "even_keel", mo(-40),
                   win_business="A lower cost per pallet moved, year on year.",
                   preferred_channel="in_person"),
            person("bethany", "Bethany Osei", "Director of Warehousing", "Operations",
                   "user", "sponsor", "high", "supporter", "trouble", mo(-30),
                   win_business="Chilled stock that never needs writing off.",
                   win_personal="Being seen by the board as the person who fixed Goole.",
                   win_validated=True),
            person("kieran", "Kieran Doyle", "Head of Engineering", "Engineering",
                   "technical", "none", "medium", "sceptic", "trouble", mo(-70)),
            person("farah", "Farah Siddiqui", "Procurement Manager", "Procurement",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-18)),
            person("sandeep", "Sandeep Gill", "Group Operations Director", "Operations",
                   "coach", "strategic_coach", "high", "champion", "growth", mo(-8),
                   notes="Sponsored us for six years; now in the group role and still happy "
                   "to advise."),
        ],
        "goals": [
            goal("chilled", "Chilled chambers stay in tolerance every night without anyone "
                 "having to check by hand", "temperature excursions per month", "11", "0",
                 mo(6), "now", 1, confirmed=("bethany", mo(-5))),
            goal("hub3", "Open a third hub near Immingham without adding facilities headcount",
                 "FM cost per pallet position", "£4.10", "£3.60", mo(30),
                 "one_to_three_years", 2,
                 response="Draft idea: one shared engineering team across all three hubs."),
        ],
        "evidence": [
            evidence("Rebuilt the dock-door maintenance schedule around shift patterns",
                     "dock door breakdowns per quarter", "42", "9", (mo(-20), mo(-14)),
                     validated=("bethany", mo(-13))),
            evidence("LED retrofit across the Doncaster hub", "lighting kWh per month",
                     "410,000", "265,000", (mo(-8), mo(-5))),
        ],
        "concerns": [
            concern("Chilled chamber alarms at Goole went unanswered for over an hour on three "
                    "nights; stock was written off", 1, -75,
                    action="Night engineer rota under review; no fix agreed with them yet."),
            concern("Slow response to loading bay door faults on the late shift", 2, -200,
                    resolved=-170, action="Added a second mobile engineer to the late shift."),
        ],
        "improvements": [
            improvement("Dock-door maintenance redesign",
                        "Maintenance windows moved to match their shift changes.",
                        "acknowledged", mo(-22), mo(-19), mo(-18)),
        ],
        "changes": [
            change("competitor_engaged", -35, "Their procurement team walked two other FM "
                   "providers round the Doncaster hub."),
            change("scope_change", -50, "Bethany mentioned the planned Immingham hub could be "
                   "added to the next contract."),
        ],
        "milestones": [
            milestone("CLB-FM-2021", "M0", 0, mo(-46), "Tom Ashworth", "Baseline KPIs agreed."),
            milestone("CLB-FM-2021", "M1", 0, mo(-44), "Tom Ashworth"),
            milestone("CLB-FM-2021", "M1", 1, mo(-41), "Tom Ashworth"),
            milestone("CLB-FM-2021", "M2", 0, mo(-17), "Tom Ashworth",
                      "Health check done; notice date confirmed as six months before end."),
        ],
        "commitments": [
            commitment("us", "Send Bethany the root-cause report on the chilled alarms",
                       "Tom Ashworth", -60),
        ],
        "plan": {
            "recent": [
                scene(-70, ESCALATION, ["kieran"], "Kieran phoned to escalate the third "
                      "unanswered chilled alarm this quarter", initiated_by="customer",
                      outcome="Promised a root-cause report within two weeks"),
                scene(-41, EMAIL, ["bethany"], "Sent the monthly KPI pack"),
                scene(-20, EMAIL, ["farah"], "Sent the annual price indexation letter",
                      brought_value=False),
            ],
            "older": [6, 6, 5, 5, 4, 3, 3, 2, 2],
            "mix": MIX_TREASURE,
        },
        "expect": {"segment": "treasure", "band": "neglect", "flags": [],
                   "story": "Largest account, decision within a year, contact has faded: the "
                   "economic buyer has not been seen for months and a serious concern is "
                   "open."},
    },
    {
        "key": "wyvern",
        "account": {
            "name": "Wyvern Valley Health Trust",
            "industry": "Healthcare",
            "region": "South West",
            "owner": "Priya Raman",
            "customer_since": mo(-108),
            "notes": "Public body. The estates contract is out to open tender: formal "
            "channels only until the award.",
        },
        "money": econ(8_400_000, 1_900_000, 3100, 80, bid=120_000, special=40_000,
                      support=110_000),
        "service": "estates maintenance",
        "contracts": [
            contract(
                "Hospital estates maintenance",
                "WVHT-EM-2019",
                mo(-72),
                mo(8),
                5_600_000,
                public_sector=True,
                procurement_route="open_tender",
                market_approach_date=-50,
                decision_date=50,
                status="renewing",
                kpis_total=30,
                kpis_met=27,
                price_gap_pct="3",
                walk_away="Bid only if planned work stays at least 60% of hours; no fixed "
                "price for clearing the backlog.",
                notes="Tender live on the regional health procurement portal.",
            ),
            contract(
                "Cleaning and portering, Wyvern General",
                "WVHT-SFM-2023",
                mo(-20),
                mo(28),
                2_800_000,
                public_sector=True,
                notice_period_days=90,
                procurement_route="option_to_extend",
                extension_months=24,
                extension_exercise_by=mo(22),
                extension_holder="customer",
                kpis_total=16,
                kpis_met=15,
            ),
        ],
        "people": [
            person("helen", "Dr Helen Marsh", "Director of Estates and Facilities", "Estates",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-50),
                   win_business="Every ward passing its environment audit.",
                   win_validated=True),
            person("seun", "Oluwaseun Adeyemi", "Head of Procurement", "Procurement",
                   "technical", "key_player", "high", "neutral", "even_keel", -200),
            person("gareth", "Gareth Price", "Facilities Manager", "Facilities",
                   "user", "none", "medium", "champion", "growth", mo(-60)),
            person("meiling", "Mei Ling Chow", "Infection Prevention Lead", "Clinical",
                   "user", "none", "medium", "sceptic", "trouble", mo(-30)),
            person("rhys", "Rhys Bevan", "Estates Engineer", "Engineering",
                   "technical", "none", "low", "supporter", "even_keel", mo(-40)),
        ],
        "goals": [
            goal("audit", "Cut the estates backlog so every ward passes its environment audit",
                 "wards passing audit", "78%", "95%", mo(18), "next_12_months", 1,
                 confirmed=("helen", mo(-7)),
                 response="Backlog team funded from energy savings, set out in our bid."),
            goal("carbon", "Halve the emissions the trust controls directly", "tCO2e per year",
                 "14,200", "7,100", mo(54), "one_to_three_years", 2,
                 confirmed=("helen", mo(-10))),
            goal("porters", "Stop clinical staff chasing porters", "porter response time",
                 "22 min", "12 min", mo(12), "next_12_months", 3,
                 response="Porter tracking app pilot."),
        ],
        "evidence": [
            evidence("Re-sequenced the planned maintenance calendar around theatre lists",
                     "planned maintenance done on time", "71%", "94%", (mo(-12), mo(-6)),
                     validated=("gareth", mo(-4))),
            evidence("Energy bureau service in the boiler house", "gas use (MWh a year)",
                     "9,800", "8,600", (mo(-14), mo(-2)), validated=("helen", mo(-2))),
            evidence("Air-handling units in theatres serviced out of hours",
                     "theatre ventilation downtime (hours a quarter)", "30", "12",
                     (mo(-9), mo(-3))),
        ],
        "concerns": [
            concern("Water hygiene records incomplete in two blocks at audit", 1, -200,
                    resolved=-170, action="Digital logbooks; monthly spot checks shared with "
                    "infection prevention."),
            concern("Porters slow to answer A&E requests on night shifts", 2, -20,
                    action="Extra night porter on Fridays and Saturdays while we review "
                    "rostering."),
        ],
        "improvements": [
            improvement("Digital water hygiene logbooks", "Tablets replace paper logs, with "
                        "alerts for missed flushes.", "acknowledged", -190, -160, -140),
            improvement("Porter tracking app pilot", "Live requests and timings for A&E and "
                        "two wards.", "agreed", -100, goal_key="porters"),
        ],
        "changes": [
            change("new_procurement_lead", -200, "New head of procurement joined from a "
                   "neighbouring trust.", "Introduced ourselves and sent a contract "
                   "performance summary.", -185),
            change("tender_mandated", -300, "Trust board confirmed the estates contract goes "
                   "to open tender at expiry.", "Bid team formed; evidence pack started.",
                   -280),
        ],
        "milestones": [
            milestone("WVHT-EM-2019", "M3", 0, mo(-20), "Priya Raman",
                      "Kickoff: bid team named, walk-away agreed."),
            milestone("WVHT-EM-2019", "M4", 0, mo(-17), "Priya Raman"),
            milestone("WVHT-EM-2019", "M5", 0, mo(-13), "Priya Raman"),
            milestone("WVHT-EM-2019", "M7", 0, -95, "Priya Raman", "Probity briefing held."),
        ],
        "commitments": [
            commitment("us", "Brief everyone who meets the trust on the probity rules for "
                       "the live tender", "Priya Raman", -45, -48),
        ],
        "plan": {
            "recent": [EXEC, WORKSHOP, MEETING, MEETING, MEETING, CALL, CALL, CALL, RECAP,
                       EMAIL, EMAIL, EMAIL, EMAIL,
                       scene(-45, CLARIFY, [], "Submitted clarification questions on the "
                             "tender portal about TUPE data", contract="WVHT-EM-2019"),
                       scene(-40, MEETING, ["gareth", "meiling"], "Operational meeting on "
                             "night portering; the tender came up and we discussed the "
                             "bid", contract="WVHT-EM-2019"),
                       scene(-30, HOSPITALITY, ["helen"], "Hosted Helen at our table at a "
                             "charity gala", contract="WVHT-EM-2019"),
                       scene(-28, CLARIFY, [], "Answered a clarification request on the "
                             "tender portal", contract="WVHT-EM-2019"),
                       scene(-15, CALL, ["helen"], "Called Helen to ask how the panel will "
                             "weigh social value in the evaluation",
                             contract="WVHT-EM-2019"),
                       scene(-10, CLARIFY, [], "Submitted a final clarification on service "
                             "levels", contract="WVHT-EM-2019")],
            "recent_span": (-86, -52),
            "older": [6] * 9,
            "mix": MIX_TREASURE,
        },
        "expect": {"segment": "treasure", "band": "proportionate", "flags": ["probity"],
                   "story": "Open tender is live; a gala invitation and calls to the buyer "
                   "about the evaluation are informal contact during the tender."},
    },
    {
        "key": "halden",
        "account": {
            "name": "Halden Water Services Ltd",
            "industry": "Utilities",
            "region": "North West",
            "owner": "Grace Mensah",
            "customer_since": mo(-168),
            "reference_site": True,
            "capability_building": True,
            "notes": "The account we point new staff to: goals confirmed, evidence validated, "
            "the renewal campaign started on time.",
        },
        "money": econ(6_200_000, 1_500_000, 2200, 85, special=20_000, support=60_000),
        "service": "network maintenance",
        "contracts": [
            contract(
                "Network asset maintenance, northern region",
                "HWS-NAM-2022",
                mo(-44),
                mo(16),
                4_400_000,
                notice_period_days=180,
                procurement_route="option_to_extend",
                extension_months=24,
                extension_exercise_by=mo(10),
                extension_holder="customer",
                decision_date=mo(12),
                kpis_total=20,
                kpis_met=19,
                price_gap_pct="-2",
                walk_away="Extend on indexed rates; walk away if asked to fund pump "
                "replacements from the maintenance price.",
            ),
            contract(
                "Smart meter installation programme",
                "HWS-SMI-2022",
                mo(-38),
                -61,
                1_500_000,
                procurement_route="negotiated",
                status="renewed",
                kpis_total=8,
                kpis_met=8,
                outcome_notes="Renewed as the wider field services contract HWS-SMF-2025.",
                debrief_notes="Won on first-time fix and on a goal the customer had confirmed "
                "(fewer complaints). Start the next campaign earlier than this one.",
            ),
            contract(
                "Smart meter field services",
                "HWS-SMF-2025",
                -60,
                mo(34),
                1_800_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("catherine", "Catherine Aldous", "Asset Director", "Assets",
                   "economic_buyer", "sponsor", "high", "champion", "growth", mo(-36),
                   win_business="Fewer complaints about supply interruptions.",
                   win_personal="A regulator report that names her region as most improved.",
                   win_validated=True, preferred_channel="in_person"),
            person("layla", "ليلى حداد", "Head of Digital Transformation", "Digital",
                   "coach", "strategic_coach", "medium", "supporter", "growth", mo(-20),
                   win_business="One job system for every field team.",
                   notes="Prefers her name written in Arabic in documents; Layla Haddad in "
                   "English."),
            person("owen", "Owen Pritchard", "Network Operations Manager", "Operations",
                   "user", "key_player", "medium", "supporter", "even_keel", mo(-60),
                   contact_cadence_days=30, preferred_channel="phone",
                   notes="Asked for one call a month, not more."),
            person("ruth", "Ruth Kimani", "Commercial Manager", "Commercial",
                   "technical", "none", "medium", "neutral", "overconfident", mo(-24)),
            person("stuart", "Stuart McBride", "Health and Safety Lead", "Safety",
                   "technical", "none", "low", "neutral", "unknown", mo(-12),
                   no_surveys=True),
        ],
        "goals": [
            goal("complaints", "Fewer customer complaints about supply interruptions",
                 "complaints per 10,000 properties", "9.1", "6.0", mo(14), "next_12_months", 1,
                 confirmed=("catherine", mo(-6)),
                 response="Predictive pump maintenance from telemetry (delivered)."),
            goal("onesystem", "Every field team working from one digital job system",
                 "job systems in use", "4", "1", mo(30), "one_to_three_years", 2,
                 confirmed=("layla", mo(-3)),
                 response="Offered to link our job system to theirs, piloted in the north."),
            goal("safety", "No lost-time injuries on network sites", "lost-time injuries a "
                 "year", "1", "0", mo(12), "now", 3, confirmed=("owen", mo(-8)),
                 response="Joint monthly safety walks."),
        ],
        "evidence": [
            evidence("Predictive pump maintenance using their telemetry data",
                     "pump failures per quarter", "27", "11", (mo(-11), mo(-5)),
                     validated=("catherine", mo(-4))),
            evidence("First-time fix on meter jobs", "first-time fix rate", "81%", "93%",
                     (mo(-12), mo(-3)), validated=("owen", mo(-2))),
            evidence("Reinstatement backlog cleared", "open reinstatements", "340", "45",
                     (mo(-10), mo(-7)), validated=("ruth", mo(-6))),
            evidence("Joint safety walks each month", "near-miss reports a month (more is "
                     "better)", "4", "19", (mo(-6), mo(-1)), validated=("owen", mo(-1))),
            evidence("Out-of-hours call-out response", "median minutes to site", "74", "52",
                     (mo(-6), mo(-1))),
        ],
        "concerns": [
            concern("Our vans parked on residential streets near the depot", 3, -150,
                    resolved=-120, action="Parking moved to the depot yard."),
        ],
        "improvements": [
            improvement("Predictive pump maintenance", "Telemetry alerts trigger a visit "
                        "before a pump fails.", "acknowledged", mo(-13), mo(-8), mo(-6),
                        goal_key="complaints"),
            improvement("Monthly joint safety walks", "Our supervisors and theirs walk two "
                        "sites a month and share one report.", "delivered", mo(-7), mo(-5),
                        goal_key="safety"),
            improvement("Job system link pilot", "Our job system feeds theirs for the northern "
                        "teams.", "proposed", -20, goal_key="onesystem"),
        ],
        "changes": [
            change("reorganisation", -240, "Operations and assets merged under the Asset "
                   "Director.", "Mapped the new structure and met both new area managers.",
                   -225),
        ],
        "milestones": [
            milestone("HWS-NAM-2022", "M0", 0, mo(-43), "Grace Mensah"),
            milestone("HWS-NAM-2022", "M1", 0, mo(-41), "Grace Mensah"),
            milestone("HWS-NAM-2022", "M2", 0, mo(-14), "Grace Mensah"),
            milestone("HWS-NAM-2022", "M3", 0, mo(-6), "Grace Mensah",
                      "Kickoff held; walk-away written into the contract record."),
            milestone("HWS-NAM-2022", "M4", 0, -85, "Grace Mensah",
                      "Future goals asked of Catherine, Layla and Owen."),
            milestone("HWS-SMF-2025", "M0", 0, -50, "Grace Mensah"),
        ],
        "commitments": [
            commitment("customer", "Give us read access to telemetry for the pilot",
                       "Layla Haddad", 30),
            commitment("us", "Send the quarterly value review pack", "Grace Mensah", -10,
                       -12),
        ],
        "plan": {
            "recent": [EXEC, EXEC, WORKSHOP, WORKSHOP, WORKSHOP, MEETING, MEETING, MEETING,
                       CALL, CALL, CALL, RECAP, RECAP],
            "older": [6] * 9,
            "mix": MIX_TREASURE,
            "customer_share": 0.3,
        },
        "expect": {"segment": "treasure", "band": "proportionate", "flags": [],
                   "story": "Model account: confirmed goals with responses, validated "
                   "evidence, improvements acknowledged by the customer, campaign on time."},
    },
    {
        "key": "thameside",
        "account": {
            "name": "Thameside Mutual Bank",
            "industry": "Banking",
            "region": "London",
            "owner": "Daniel Kerr",
            "customer_since": mo(-84),
            "notes": "Everything goes through Marcus. He is happy, so we assume the bank is.",
        },
        "money": econ(4_900_000, 1_150_000, 1500, 95, special=35_000, support=50_000),
        "service": "branch facilities",
        "contracts": [
            contract(
                "Branch and office facilities management",
                "TMB-FM-2023",
                mo(-25),
                mo(35),
                3_300_000,
                notice_period_days=180,
                procurement_route="negotiated",
                decision_date=mo(30),
                kpis_total=18,
                kpis_met=17,
                price_gap_pct="1.5",
            ),
            contract(
                "Data centre critical services",
                "TMB-DC-2022",
                mo(-30),
                mo(28),
                1_400_000,
                procurement_route="selective_tender",
                market_approach_date=mo(25),
                decision_date=mo(27),
                extension_months=12,
                extension_exercise_by=mo(22),
                extension_holder="mutual",
                kpis_total=12,
                kpis_met=12,
            ),
        ],
        "people": [
            person("marcus", "Marcus Fenton", "Head of Property Services", "Property",
                   "user", "sponsor", "medium", "champion", "overconfident", mo(-70),
                   win_business="Branches that never close for a building fault."),
            person("anjali", "Anjali Mehta", "Chief Operating Officer", "Executive",
                   "economic_buyer", "key_player", "high", "unknown", "unknown", mo(-16)),
            person("joseph", "Joseph Mwangi", "Procurement Lead", "Procurement",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-30)),
            person("sophie", "Sophie Lavelle", "IT Infrastructure Manager", "IT",
                   "technical", "none", "medium", "sceptic", "trouble", mo(-26)),
        ],
        "goals": [
            goal("footprint", "Shrink the branch estate without customers noticing",
                 "branch floor space (m²)", "61,000", "48,000", mo(36),
                 "one_to_three_years", 1, confirmed=("marcus", mo(-4)),
                 response="Offered a space utilisation study across 40 branches."),
            goal("outages", "No unplanned outages in the data centre", "unplanned outages a "
                 "year", "2", "0", mo(12), "next_12_months", 2),
        ],
        "evidence": [
            evidence("Planned maintenance review across the branch estate",
                     "reactive call-outs a month", "310", "220", (mo(-10), mo(-4)),
                     validated=("marcus", mo(-3))),
            evidence("Branch heating schedules tuned to opening hours", "branch energy (MWh "
                     "a year)", "5,400", "4,700", (mo(-14), mo(-8)),
                     validated=("marcus", mo(-8))),
            evidence("Cooling plant upgraded with no downtime", "hours of data centre "
                     "downtime during works", "—", "0", (mo(-5), mo(-4))),
        ],
        "concerns": [
            concern("Cleaners left a fire door propped open at the head office", 2, -130,
                    resolved=-125, action="Retrained the night team; spot checks added."),
        ],
        "improvements": [
            improvement("Branch energy dashboard", "Monthly energy use per branch, shared "
                        "with property and finance.", "delivered", -200, -60,
                        goal_key="footprint"),
        ],
        "changes": [
            change("merger", -60, "Board announced merger talks with Kennet Valley Building "
                   "Society.", "Asked Marcus who would lead property after a merger.", -55),
        ],
        "milestones": [
            milestone("TMB-FM-2023", "M0", 0, mo(-24), "Daniel Kerr"),
        ],
        "commitments": [],
        "plan": {
            "recent": [EXEC, MEETING, MEETING, MEETING, MEETING, CALL, CALL, CALL, CALL, CALL,
                       EMAIL, EMAIL, EMAIL, EMAIL],
            "older": [6] * 9,
            "mix": MIX_TREASURE,
            "focus": "marcus",
            "focus_share": 0.9,
        },
        "expect": {"segment": "treasure", "band": "proportionate", "flags": ["single_thread"],
                   "story": "Healthy volume of contact, but nearly all of it with one "
                   "friendly manager; the COO who decides is barely known."},
    },
    {
        "key": "ashcombe",
        "account": {
            "name": "Ashcombe County Council",
            "industry": "Local government",
            "region": "South East",
            "owner": "Priya Raman",
            "customer_since": mo(-144),
            "notes": "New standing orders force an open tender. We have not yet decided how "
            "to respond.",
        },
        "money": econ(5_600_000, 850_000, 2400, 75, bid=45_000, special=30_000,
                      support=90_000),
        "service": "corporate estate maintenance",
        "contracts": [
            contract(
                "Corporate estate hard FM",
                "ACC-HFM-2021",
                mo(-48),
                mo(12),
                3_900_000,
                public_sector=True,
                procurement_route="open_tender",
                market_approach_date=mo(4),
                decision_date=mo(8),
                kpis_total=22,
                kpis_met=18,
                price_gap_pct="8",
                walk_away="Do not chase the tender below cost; a fair price with the "
                "compliance record is our offer.",
            ),
            contract(
                "Schools reactive maintenance",
                "ACC-SRM-2022",
                mo(-34),
                mo(26),
                1_300_000,
                public_sector=True,
                procurement_route="panel",
                extension_months=12,
                extension_exercise_by=mo(20),
                extension_holder="customer",
                kpis_total=14,
                kpis_met=12,
            ),
            contract(
                "Gritting depot maintenance",
                "ACC-GRT-2023",
                mo(-26),
                -55,
                180_000,
                public_sector=True,
                procurement_route="negotiated",
                status="expired",
                outcome_notes="Ran to term; the council took the work in-house.",
            ),
        ],
        "people": [
            person("martin", "Martin Hale", "Director of Resources", "Finance",
                   "economic_buyer", "key_player", "high", "sceptic", "even_keel", mo(-60),
                   win_business="A balanced budget without closing buildings."),
            person("siobhan", "Siobhan Reilly", "Head of Property", "Property",
                   "user", "sponsor", "high", "supporter", "growth", mo(-40),
                   win_validated=True, win_business="Every school fully compliant."),
            person("amir", "Amir Rahman", "Category Manager, Facilities", "Procurement",
                   "technical", "anti_sponsor", "medium", "opponent", "overconfident",
                   mo(-14), notes="Believes a market test will cut the price by a fifth."),
            person("janet", "Cllr Janet Okoro", "Cabinet Member for Resources",
                   "Elected members", "unknown", "none", "high", "unknown", "unknown",
                   mo(-9)),
            person("paul", "Paul Greaves", "Schools Estates Officer", "Property",
                   "user", "none", "low", "champion", "growth", mo(-80)),
        ],
        "goals": [
            goal("costs", "Cut estate running costs by 15% to help close the budget gap",
                 "annual estate running cost", "£11.2m", "£9.5m", mo(24), "next_12_months",
                 1, confirmed=("martin", mo(-5))),
            goal("schools", "Every school building compliant on statutory checks",
                 "schools fully compliant", "86%", "100%", mo(6), "now", 2,
                 confirmed=("siobhan", mo(-9)), response="Compliance dashboard for schools."),
            goal("local", "More local people employed on the contract", "local hires", "12",
                 "30", mo(24), "one_to_three_years", 3),
        ],
        "evidence": [
            evidence("Statutory compliance programme for schools", "schools fully compliant",
                     "86%", "97%", (mo(-12), mo(-6)), validated=("siobhan", mo(-5))),
            evidence("Apprentices recruited from the county", "apprentices on the contract",
                     "2", "9", (mo(-12), mo(-1))),
        ],
        "concerns": [
            concern("Legionella test reports late at two libraries", 2, -60,
                    action="Reports now sent weekly, not monthly."),
        ],
        "improvements": [
            improvement("Schools compliance dashboard", "Live status of every statutory "
                        "check for each school.", "acknowledged", -300, -240, -200,
                        goal_key="schools"),
        ],
        "changes": [
            change("tender_mandated", -40, "New contract standing orders require an open "
                   "tender for every FM contract above £2m."),
            change("budget_cut", -150, "Property maintenance budget cut by 12% for next "
                   "year.", "Proposed a ranked maintenance plan that fits the new budget.",
                   -130),
        ],
        "milestones": [
            milestone("ACC-HFM-2021", "M3", 0, mo(-14), "Priya Raman"),
            milestone("ACC-HFM-2021", "M4", 0, mo(-11), "Priya Raman"),
        ],
        "commitments": [
            commitment("us", "Prepare options for a 15% cut in estate running costs",
                       "Priya Raman", 20),
        ],
        "plan": {
            "recent": [EXEC, WORKSHOP, WORKSHOP, MEETING, MEETING, MEETING, MEETING, CALL,
                       CALL, CALL, CALL, EMAIL, EMAIL, RECAP],
            "older": [6] * 9,
            "mix": MIX_TREASURE,
        },
        "expect": {"segment": "treasure", "band": "proportionate", "flags": [],
                   "story": "Good contact, but a tender mandate with no response and a "
                   "confirmed cost goal we have not answered."},
    },
    {
        "key": "ludlow",
        "account": {
            "name": "Ludlow & Pryce Stores plc",
            "industry": "Retail",
            "region": "West Midlands",
            "owner": "Daniel Kerr",
            "customer_since": mo(-72),
        },
        "money": econ(4_100_000, 700_000, 1300, 80, special=25_000, support=40_000),
        "service": "store maintenance",
        "contracts": [
            contract(
                "Store maintenance, 140 stores",
                "LPS-SM-2022",
                mo(-30),
                mo(30),
                3_100_000,
                notice_period_days=120,
                procurement_route="negotiated",
                decision_date=mo(27),
                kpis_total=15,
                kpis_met=13,
                price_gap_pct="4",
            ),
            contract(
                "Distribution centre refrigeration",
                "LPS-REF-2024",
                mo(-14),
                mo(31),
                900_000,
                notice_period_days=90,
            ),
        ],
        "people": [
            person("lucy", "Lucy Barraclough", "Property Director", "Property",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-48)),
            person("imran", "Imran Hussain", "Maintenance Manager", "Property",
                   "user", "none", "medium", "champion", "even_keel", mo(-60)),
            person("tomasz", "Tomasz Wójcik", "Refrigeration Lead", "Logistics",
                   "technical", "none", "low", "neutral", "trouble", mo(-20)),
            person("nadia", "Nadia Cole", "Procurement Manager", "Procurement",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-15)),
        ],
        "goals": [
            goal("refits", "Keep stores trading through refits", "trading days lost to "
                 "refits", "3 per store", "0", mo(18), "next_12_months", 1,
                 confirmed=("lucy", mo(-6)), response="Night-time refit crews."),
        ],
        "evidence": [
            evidence("Night-time refit crews in 22 stores", "trading days lost per refit",
                     "3", "0.5", (mo(-9), mo(-3)), validated=("lucy", mo(-2))),
            evidence("Refrigeration alarm monitoring", "stock loss from fridge faults",
                     "£84k", "£31k", (mo(-12), mo(-2))),
        ],
        "concerns": [
            concern("Contractor vans blocking delivery bays", 2, -140, resolved=-120,
                    action="Van arrival times agreed with each store manager."),
        ],
        "improvements": [
            improvement("Shared defect photos in the job app", "Store staff see before and "
                        "after photos for every job.", "proposed", -30),
        ],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [EXEC, MEETING, MEETING, CALL, CALL, CALL, EMAIL, EMAIL, EMAIL, RECAP],
            "older": [4] * 9,
            "mix": MIX_TREASURE,
        },
        "expect": {"segment": "treasure", "alt_segment": "develop", "band": "proportionate",
                   "flags": [], "story": "Sits on the 80% line; contact is sized to be "
                   "proportionate as either Treasure or Develop."},
    },
    {
        "key": "corvedale",
        "account": {
            "name": "Corvedale Foods Ltd",
            "industry": "Manufacturing",
            "region": "West Midlands",
            "owner": "Tom Ashworth",
            "customer_since": mo(-96),
            "notes": "The team is anxious about this renewal. Check every concession against "
            "the walk-away before it is offered.",
        },
        "money": econ(3_300_000, 400_000, 1900, 80, bid=30_000, special=60_000,
                      support=45_000),
        "service": "site engineering",
        "contracts": [
            contract(
                "Production site engineering and maintenance",
                "CVF-ENG-2021",
                mo(-55),
                mo(5),
                2_600_000,
                notice_deadline=mo(2),
                procurement_route="negotiated",
                decision_date=mo(3),
                status="renewing",
                kpis_total=18,
                kpis_met=13,
                price_gap_pct="12",
                walk_away="Walk away below a 9% margin. No free engineer hours as a renewal "
                "sweetener.",
                notes="Renewal review called after the parent group took over approvals.",
            ),
            contract(
                "Cold store cleaning",
                "CVF-CLN-2024",
                mo(-10),
                mo(14),
                350_000,
                notice_period_days=60,
            ),
        ],
        "people": [
            person("andrew", "Andrew Tolley", "Finance Director", "Finance",
                   "economic_buyer", "key_player", "high", "neutral", "even_keel", mo(-60),
                   left_on=-110),
            person("eleanor", "Eleanor Whitby", "Operations Director", "Operations",
                   "user", "sponsor", "high", "supporter", "trouble", mo(-40),
                   win_business="Line efficiency back above 70%."),
            person("kwame", "Kwame Asante", "Engineering Manager", "Engineering",
                   "technical", "none", "medium", "champion", "growth", mo(-50)),
            person("rosa", "Rosa Delgado", "Site Hygiene Manager", "Quality",
                   "user", "none", "medium", "neutral", "even_keel", mo(-30)),
            person("callum", "Callum Fraser", "Group Procurement Business Partner",
                   "Procurement", "technical", "anti_sponsor", "high", "opponent",
                   "overconfident", -130),
            person("joanne", "Joanne Pike", "Continuous Improvement Lead", "Operations",
                   "coach", "strategic_coach", "low", "champion", "growth", mo(-26)),
        ],
        "goals": [
            goal("oee", "Raise line efficiency on the pie lines", "OEE", "62%", "75%", mo(12),
                 "next_12_months", 1, confirmed=("eleanor", mo(-10))),
            goal("brc", "Keep the top grade at the next food safety audit", "audit grade",
                 "A", "AA", mo(8), "now", 2, response="Audit preparation package."),
        ],
        "evidence": [
            evidence("Changeover checklist on line 2", "changeover minutes", "48", "31",
                     (mo(-7), mo(-4))),
            evidence("Bearing replacement programme", "unplanned stoppages a month", "9",
                     "4", (mo(-20), mo(-15)), validated=("kwame", mo(-14))),
        ],
        "concerns": [
            concern("Two unplanned stoppages on line 3 traced to a late bearing replacement",
                    2, -40, action="Bearing intervals shortened on lines 1 to 3."),
        ],
        "improvements": [
            improvement("Free energy audit", "Offered during the renewal talks.", "proposed",
                        -20),
        ],
        "changes": [
            change("new_economic_buyer", -100, "Finance Director left; the parent group now "
                   "approves contracts over £1m and we do not know who signs."),
            change("competitor_engaged", -70, "Kwame told us a rival walked the site with a "
                   "fixed-price offer.", "Booked extra meetings with everyone we know.", -65),
            change("reorganisation", -130, "Parent group centralised procurement.",
                   "Met the new group procurement partner.", -120),
        ],
        "milestones": [
            milestone("CVF-ENG-2021", "M0", 0, mo(-54), "Tom Ashworth"),
            milestone("CVF-ENG-2021", "M6", 0, -40, "Tom Ashworth",
                      "Next-term plan written late, in a hurry."),
        ],
        "commitments": [
            commitment("customer", "Tell us who in the parent group approves the renewal",
                       "Eleanor Whitby", -20),
        ],
        "plan": {
            "recent": [
                EXEC, EXEC, *([MEETING] * 6), *([CALL] * 13), PITCH, PITCH, PITCH,
                *([EMAIL] * 6), HOSPITALITY, HOSPITALITY, WORKSHOP, RECAP, RECAP, SURVEY,
                scene(-35, MEETING, ["eleanor"], "Renewal meeting: offered a two-year price "
                      "freeze if they sign before the group review", concession_offered=True,
                      outcome="Eleanor said price had not been raised as an issue",
                      contract="CVF-ENG-2021"),
                scene(-20, CALL, ["kwame"], "Offered 200 free engineer hours next year to "
                      "secure the renewal", concession_offered=True, brought_value=False,
                      contract="CVF-ENG-2021"),
            ],
            "older": [3, 3, 3, 3, 3, 4, 4, 5, 6],
            "mix": MIX_STANDARD,
            "customer_share": 0.1,
            "noise": 0.25,
            "pools": {
                CALL: [
                    "Called to reassure them we are fully committed to the renewal",
                    "Asked whether anything had changed on the renewal since last week",
                    "Call to check whether the group review had a date yet",
                ],
                MEETING: [
                    "Dropped in on site to show our face during the review",
                    "Meeting to go over the renewal timetable again",
                ],
            },
        },
        "expect": {"segment": "develop", "band": "obsessive", "flags": ["fear_concession"],
                   "story": "Renewal close, economic buyer unknown, competitor circling: "
                   "contact tripled and two unasked concessions went out."},
    },
    {
        "key": "penrose",
        "account": {
            "name": "Penrose University",
            "industry": "Education",
            "region": "South West",
            "owner": "Grace Mensah",
            "customer_since": mo(-60),
        },
        "money": econ(2_400_000, 330_000, 900, 75, bid=20_000, support=25_000),
        "service": "campus services",
        "contracts": [
            contract(
                "Campus facilities services",
                "PU-CFS-2023",
                mo(-26),
                mo(34),
                2_100_000,
                public_sector=True,
                procurement_route="panel",
                market_approach_date=mo(27),
                decision_date=mo(31),
                extension_months=24,
                extension_exercise_by=mo(28),
                extension_holder="customer",
                kpis_total=12,
                kpis_met=11,
            ),
        ],
        "people": [
            person("yasmin", "Dr Yasmin Choudhury", "Director of Estates", "Estates",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-40),
                   win_business="A carbon-neutral campus by 2030."),
            person("ben", "Ben Tregenza", "Campus Services Manager", "Estates",
                   "user", "none", "medium", "champion", "even_keel", mo(-70),
                   contact_cadence_days=14),
            person("chloe", "Chloe Martin", "Sustainability Officer", "Sustainability",
                   "user", "none", "low", "neutral", "growth", mo(-15)),
            person("samuel", "Samuel Boateng", "Procurement Officer", "Procurement",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-22)),
        ],
        "goals": [
            goal("carbon", "A carbon-neutral campus by 2030", "campus tCO2e a year", "8,900",
                 "0 net", mo(60), "one_to_three_years", 1, confirmed=("yasmin", mo(-8)),
                 response="Heat pump feasibility for the two largest halls."),
            goal("halls", "Students rate halls maintenance well", "halls maintenance "
                 "satisfaction", "61%", "80%", mo(10), "next_12_months", 2,
                 confirmed=("ben", mo(-2))),
        ],
        "evidence": [
            evidence("Halls repairs triaged by urgency", "median days to close a halls "
                     "repair", "9", "4", (mo(-8), mo(-2)), validated=("ben", mo(-1))),
        ],
        "concerns": [
            concern("Grounds team using leaf blowers near exam halls during exams", 3, -10,
                    action="Grounds work moved to afternoons during exam weeks."),
        ],
        "improvements": [
            improvement("Repair booking in the student app", "Students log and track halls "
                        "repairs in the app they already use.", "agreed", -45,
                        goal_key="halls"),
        ],
        "changes": [],
        "milestones": [milestone("PU-CFS-2023", "M0", 0, mo(-25), "Grace Mensah")],
        "commitments": [],
        "plan": {
            "recent": [MEETING, MEETING, WORKSHOP, CALL, CALL, EMAIL, RECAP],
            "older": [3] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "develop", "band": "proportionate", "flags": [],
                   "story": "Steady, proportionate contact far from renewal."},
    },
    {
        "key": "tamar",
        "account": {
            "name": "Tamar Energy Networks",
            "industry": "Utilities",
            "region": "South West",
            "owner": "Marek Nowak",
            "customer_since": mo(-36),
            "capability_building": True,
            "notes": "We are deliberately investing here: their grid programme could double "
            "the work.",
        },
        "money": econ(2_100_000, 280_000, 1100, 85, special=10_000, support=20_000),
        "service": "substation maintenance",
        "contracts": [
            contract(
                "Substation site maintenance",
                "TEN-SSM-2024",
                mo(-14),
                mo(35.5),
                1_500_000,
                notice_period_days=180,
                procurement_route="negotiated",
                kpis_total=9,
                kpis_met=9,
            ),
            contract(
                "Vegetation management, Devon",
                "TEN-VEG-2023",
                mo(-22),
                mo(26),
                600_000,
                procurement_route="selective_tender",
                decision_date=mo(25),
                notice_period_days=90,
            ),
        ],
        "people": [
            person("victoria", "Victoria Hughes", "Director of Network Operations",
                   "Operations", "economic_buyer", "sponsor", "high", "champion", "growth",
                   mo(-30), win_business="Connect new solar farms without outages.",
                   win_validated=True),
            person("liam", "Liam O'Connor", "Programme Manager, Grid Upgrade", "Programmes",
                   "user", "key_player", "medium", "supporter", "growth", mo(-12)),
            person("priyanka", "Priyanka Nair", "Asset Engineer", "Engineering",
                   "technical", "none", "medium", "supporter", "even_keel", mo(-24)),
            person("dafydd", "Dafydd Morgan", "Contracts Manager", "Commercial",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-36)),
        ],
        "goals": [
            goal("connect", "Connect 60 new generation sites without planned outages over "
                 "two hours", "planned outage hours per connection", "5", "2", mo(24),
                 "one_to_three_years", 1, confirmed=("victoria", mo(-3)),
                 response="Drone inspections so work can be planned before outages."),
            goal("trees", "No faults caused by trees on the 33kV network", "tree-related "
                 "faults a year", "14", "3", mo(12), "next_12_months", 2,
                 confirmed=("priyanka", mo(-5)), response="Shared vegetation data model."),
        ],
        "evidence": [
            evidence("Thermal imaging on every routine visit", "faults found before "
                     "failure a quarter", "3", "11", (mo(-9), mo(-3)),
                     validated=("priyanka", mo(-2))),
            evidence("Cutting cycle re-planned by risk", "tree-related faults", "14", "8",
                     (mo(-12), mo(-1)), validated=("victoria", mo(-1))),
        ],
        "concerns": [],
        "improvements": [
            improvement("Drone inspection of substations", "Quarterly drone survey with "
                        "defects pushed to their asset system.", "agreed", -40,
                        goal_key="connect"),
            improvement("Shared vegetation data model", "One map of cutting risk for both "
                        "teams.", "proposed", -15, goal_key="trees"),
        ],
        "changes": [
            change("scope_change", -80, "They plan to add 40 substations next year.",
                   "Ran a workshop to shape the scope with Liam.", -70),
        ],
        "milestones": [milestone("TEN-SSM-2024", "M0", 0, mo(-13), "Marek Nowak")],
        "commitments": [
            commitment("us", "Costed drone survey plan for the first 40 sites", "Marek Nowak",
                       14),
            commitment("customer", "Share the list of planned connections", "Liam O'Connor",
                       -10, -12),
        ],
        "plan": {
            "recent": [WORKSHOP, WORKSHOP, EXEC, MEETING, MEETING, MEETING, CALL, CALL, CALL,
                       RECAP, RECAP, EMAIL, EMAIL],
            "older": [4, 4, 4, 5, 5, 5, 6, 6, 6],
            "mix": MIX_TREASURE,
            "customer_share": 0.3,
        },
        "expect": {"segment": "develop", "band": "intense", "flags": [],
                   "story": "Deliberate investment in a growth account: intense, but chosen "
                   "and tied to their programme."},
    },
    {
        "key": "northwold",
        "account": {
            "name": "Northwold Telecom",
            "industry": "Telecoms",
            "region": "North East",
            "owner": "Marek Nowak",
            "customer_since": mo(-48),
        },
        "money": econ(2_600_000, 250_000, 1200, 80, special=15_000, support=60_000),
        "service": "exchange building",
        "contracts": [
            contract(
                "Exchange building maintenance",
                "NWT-EBM-2022",
                mo(-32),
                mo(28),
                1_900_000,
                notice_period_days=180,
                procurement_route="option_to_extend",
                extension_months=24,
                extension_exercise_by=mo(22),
                extension_holder="customer",
                decision_date=mo(25),
                kpis_total=14,
                kpis_met=12,
            ),
            contract(
                "Mast site security patrols",
                "NWT-SEC-2024",
                mo(-12),
                mo(25),
                700_000,
                notice_period_days=60,
            ),
        ],
        "people": [
            person("fiona", "Fiona Gallacher", "Head of Property", "Property",
                   "economic_buyer", "sponsor", "high", "neutral", "even_keel", mo(-36)),
            person("ravi", "Ravi Shankar", "Facilities Coordinator", "Property",
                   "user", "none", "low", "supporter", "even_keel", mo(-20)),
            person("agnieszka", "Agnieszka Kowalczyk", "Security Manager", "Security",
                   "user", "none", "medium", "sceptic", "trouble", mo(-28)),
            person("ewan", "Ewan Drummond", "Procurement Manager", "Procurement",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-16)),
        ],
        "goals": [
            goal("exit", "Leave 30 exchange buildings as copper is switched off",
                 "exchanges still occupied", "112", "82", mo(36), "one_to_three_years", 1),
        ],
        "evidence": [
            evidence("Patrol routes re-planned around theft hot spots", "cable thefts a "
                     "quarter", "7", "2", (mo(-9), mo(-3))),
        ],
        "concerns": [
            concern("Patrol logs at two mast sites were falsified by a subcontractor; under "
                    "investigation before we tell the customer", 1, -25, visible=False,
                    action="Subcontractor suspended; reviewing every log since January."),
            concern("Cleaning missed at the Gateshead exchange", 3, -160, resolved=-150),
        ],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [*([EMAIL] * 10), *([CALL] * 4)],
            "older": [3] * 9,
            "mix": {EMAIL: 5, CALL: 3, MEETING: 1},
            "noise": 0.7,
        },
        "expect": {"segment": "develop", "band": "proportionate", "flags": ["noise"],
                   "story": "Plenty of emails and calls, most of them with nothing in them "
                   "for the customer."},
    },
    {
        "key": "beacon",
        "account": {
            "name": "Beacon Property Services",
            "industry": "Facilities management",
            "region": "London",
            "owner": "Daniel Kerr",
            "customer_since": mo(-30),
            "notes": "An FM company that subcontracts lifts to us. We have never worked out "
            "who signs off the spend.",
        },
        "money": econ(1_900_000, 230_000, 600, 75, bid=10_000, support=20_000),
        "service": "lift maintenance",
        "contracts": [
            contract(
                "Lift and escalator maintenance (subcontract)",
                "BPS-LFT-2024",
                mo(-18),
                mo(30),
                1_900_000,
                notice_period_days=90,
                procurement_route="negotiated",
                kpis_total=10,
                kpis_met=10,
            ),
        ],
        "people": [
            person("oliver", "Oliver Grant", "Operations Director", "Operations",
                   "unknown", "key_player", "high", "neutral", "unknown", mo(-30)),
            person("zainab", "Zainab Yusuf", "Contract Manager", "Operations",
                   "user", "sponsor", "medium", "supporter", "growth", mo(-24)),
            person("harvey", "Harvey Lam", "Technical Services Manager", "Engineering",
                   "technical", "none", "medium", "supporter", "even_keel", mo(-20)),
        ],
        "goals": [
            goal("uptime", "Lifts available whenever their tenants need them", "lift "
                 "availability", "97.1%", "99%", mo(12), "next_12_months", 1,
                 confirmed=("zainab", mo(-4))),
        ],
        "evidence": [
            evidence("Remote lift monitoring in six towers", "lift availability", "97.1%",
                     "98.6%", (mo(-8), mo(-2))),
        ],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, CALL, EMAIL, EMAIL, EMAIL, RECAP],
            "older": [2.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "develop", "alt_segment": "maintain",
                   "band": "proportionate", "flags": [],
                   "story": "Sits on the 95% line; contact is proportionate either way. "
                   "No economic buyer identified."},
    },
    {
        "key": "greyfriars",
        "account": {
            "name": "Greyfriars Sixth Form College",
            "industry": "Education",
            "region": "East Midlands",
            "owner": "Grace Mensah",
            "customer_since": mo(-40),
            "notes": "We survey them after every review and have not changed anything because "
            "of the answers yet.",
        },
        "money": econ(520_000, 34_000, 400, 65, bid=5_000, support=8_000),
        "service": "cleaning and caretaking",
        "contracts": [
            contract(
                "Cleaning and caretaking",
                "GSF-CC-2023",
                mo(-20),
                mo(28),
                500_000,
                public_sector=True,
                notice_period_days=90,
                decision_date=mo(26),
            ),
        ],
        "people": [
            person("deborah", "Deborah Quinn", "Business Manager", "Finance",
                   "economic_buyer", "sponsor", "high", "supporter", "even_keel", mo(-50)),
            person("mohammed", "Mohammed Al-Amin", "Site Manager", "Estates",
                   "user", "none", "medium", "supporter", "growth", mo(-30)),
            person("sarah", "Sarah Jennings", "Assistant Principal", "Leadership",
                   "user", "none", "medium", "neutral", "even_keel", mo(-14)),
        ],
        "goals": [
            goal("exams", "Exam halls ready on time with no rearranged sittings", "sittings "
                 "moved for cleaning or set-up", "3", "0", mo(6), "now", 1),
        ],
        "evidence": [
            evidence("Exam hall set-up checklist", "sittings delayed by set-up", "3", "0",
                     (mo(-12), mo(-8)), validated=("mohammed", mo(-7))),
        ],
        "concerns": [],
        "improvements": [],
        "changes": [
            change("budget_cut", -120, "College funding for next year is flat in cash "
                   "terms.", "Offered to move window cleaning from quarterly to twice a "
                   "year.", -110),
        ],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [
                CALL, EMAIL, EMAIL, RECAP, RECAP,
                scene(-15, SURVEY, ["deborah", "mohammed", "sarah"], "Sent our satisfaction "
                      "survey after the spring term review"),
                scene(-60, SURVEY, ["deborah", "sarah"], "Asked for a rating of the "
                      "exam season cleaning"),
                scene(-105, SURVEY, ["deborah", "mohammed", "sarah"], "Sent our "
                      "satisfaction survey after the winter term review"),
                scene(-150, SURVEY, ["mohammed", "sarah"], "Short pulse survey on caretaking "
                      "response times"),
                scene(-300, SURVEY, ["deborah", "mohammed", "sarah"], "Annual satisfaction "
                      "survey"),
            ],
            "older": [3] * 9,
            "mix": {EMAIL: 4, RECAP: 2, CALL: 2, MEETING: 1},
        },
        "expect": {"segment": "maintain", "band": "proportionate",
                   "flags": ["survey_fatigue"],
                   "story": "A survey after every review, to the same three people, with "
                   "nothing done about the answers."},
    },
    {
        "key": "pipbloom",
        "account": {
            "name": "Pip & Bloom 🌱 Garden Centres",
            "industry": "Retail",
            "region": "South East",
            "owner": "Daniel Kerr",
            "customer_since": mo(-27),
            "notes": "We keep pitching add-ons (irrigation, solar, café kit) before we know "
            "their plans.",
        },
        "money": econ(610_000, 29_000, 420, 70, bid=8_000, support=9_000),
        "service": "glasshouse maintenance",
        "contracts": [
            contract(
                "Glasshouse and store maintenance",
                "PBG-MNT-2024",
                mo(-15),
                mo(26),
                600_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("rebecca", "Rebecca Thorne", "Managing Director", "Executive",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-60),
                   win_business="Café and events income above plant sales by 2028."),
            person("jamal", "Jamal Edwards", "Estates Manager", "Estates",
                   "user", "none", "medium", "neutral", "even_keel", mo(-20)),
            person("kerryann", "Kerry-Ann Baptiste", "Head of Retail Operations",
                   "Operations", "user", "none", "medium", "sceptic", "even_keel", mo(-18),
                   notes="Told Jamal our visits feel like sales calls."),
        ],
        "goals": [
            goal("cafe", "Grow café income", "café revenue a year", "£1.1m", "£1.8m", mo(24),
                 "one_to_three_years", 1, response="Café kitchen equipment service."),
        ],
        "evidence": [
            evidence("Glasshouse vent motors replaced before summer", "plant losses to "
                     "overheating", "£22k", "£4k", (mo(-12), mo(-9))),
        ],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [PITCH, PITCH, CALL, MEETING],
            "older": [2] * 9,
            "mix": {PITCH: 5, MEETING: 1, CALL: 2, EMAIL: 1},
        },
        "expect": {"segment": "maintain", "band": "proportionate",
                   "flags": ["pitch_heavy"],
                   "story": "Almost every visit is a pitch; their goals are assumed, not "
                   "asked."},
    },
    {
        "key": "fairlie",
        "account": {
            "name": "Fairlie Precision Castings",
            "industry": "Manufacturing",
            "region": "Scotland",
            "owner": "Marek Nowak",
            "customer_since": mo(-54),
        },
        "money": econ(700_000, 41_000, 450, 70, bid=6_000, support=10_000),
        "service": "foundry plant maintenance",
        "contracts": [
            contract(
                "Foundry plant maintenance",
                "FPC-PM-2022",
                mo(-30),
                mo(6),
                680_000,
                notice_deadline=mo(3),
                procurement_route="negotiated",
                decision_date=mo(4),
                kpis_total=10,
                kpis_met=8,
                price_gap_pct="5",
                walk_away="No price cut without a matching cut in scope.",
            ),
        ],
        "people": [
            person("alasdair", "Alasdair Munro", "Managing Director", "Executive",
                   "economic_buyer", "key_player", "high", "neutral", "even_keel", mo(-90)),
            person("leah", "Leah Cameron", "Plant Manager", "Operations",
                   "user", "sponsor", "medium", "supporter", "trouble", mo(-30)),
            person("hamish", "Hamish Reid", "Maintenance Supervisor", "Engineering",
                   "user", "none", "low", "champion", "growth", mo(-44)),
        ],
        "goals": [
            goal("furnace", "No furnace downtime during aerospace orders", "furnace downtime "
                 "hours a month", "14", "2", mo(9), "next_12_months", 1,
                 confirmed=("leah", mo(-2))),
        ],
        "evidence": [
            evidence("Spare pump kept on site", "hours lost to cooling pump faults", "30",
                     "6", (mo(-14), mo(-8)), validated=("leah", mo(-7))),
        ],
        "concerns": [
            concern("Furnace cooling pump failed twice in one week", 1, -20,
                    action="Pump replaced; vibration sensor fitted."),
        ],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [
                CALL, CALL, EMAIL, EMAIL, RECAP,
                scene(-60, MEETING, ["alasdair", "leah"], "Renewal conversation: offered 5% "
                      "off for a three-year term, though they had not raised price",
                      concession_offered=True, contract="FPC-PM-2022",
                      outcome="Alasdair thanked us and said he would think about it"),
            ],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "proportionate",
                   "flags": ["fear_concession"],
                   "story": "Calm account, but a discount went out that nobody asked for."},
    },
    {
        "key": "redmire",
        "account": {
            "name": "Redmire Housing Trust",
            "industry": "Housing",
            "region": "Yorkshire and the Humber",
            "owner": "Grace Mensah",
            "customer_since": mo(-34),
            "notes": "Dwayne asked for an email update every two months. The team still "
            "phones him every few weeks.",
        },
        "money": econ(480_000, 22_000, 380, 65, bid=4_000, support=7_000),
        "service": "communal repairs",
        "contracts": [
            contract(
                "Communal area repairs",
                "RHT-CAR-2023",
                mo(-22),
                mo(26),
                470_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("janice", "Janice Holroyd", "Chief Executive", "Executive",
                   "economic_buyer", "key_player", "high", "neutral", "even_keel", mo(-70),
                   no_surveys=True, notes="Asked not to be sent surveys."),
            person("dwayne", "Dwayne Campbell", "Housing Operations Manager", "Operations",
                   "user", "sponsor", "medium", "supporter", "trouble", mo(-40),
                   contact_cadence_days=60, preferred_channel="email"),
            person("tariq", "Tariq Mahmood", "Asset Manager", "Assets",
                   "technical", "none", "medium", "supporter", "growth", mo(-25)),
            person("philippa", "Philippa Sandhu", "Director of Finance", "Finance",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-19)),
        ],
        "goals": [
            goal("voids", "Re-let empty homes faster", "days a home stands empty", "38",
                 "21", mo(12), "next_12_months", 1, confirmed=("dwayne", mo(-6)),
                 response="Communal repairs on void blocks done first."),
        ],
        "evidence": [
            evidence("Void blocks prioritised", "days to finish communal repairs on void "
                     "blocks", "12", "5", (mo(-6), mo(-1))),
        ],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [
                scene(-10, CALL, ["dwayne"], "Rang Dwayne for an update on the void list"),
                scene(-20, MEETING, ["philippa", "tariq"], "Budget meeting on next year's "
                      "communal repairs"),
                scene(-31, CALL, ["dwayne"], "Called Dwayne to walk through this month's "
                      "completed jobs"),
                scene(-40, SURVEY, ["janice"], "Sent our satisfaction survey to the chief "
                      "executive"),
                scene(-52, CALL, ["dwayne"], "Called Dwayne about access to two blocks"),
                scene(-60, EMAIL, ["tariq"], "Sent the stock condition findings"),
                scene(-73, MEETING, ["dwayne", "tariq"], "Site meeting at Ashfield Court on "
                      "the roof repairs"),
                scene(-84, CALL, ["tariq"], "Agreed the programme for the stairwell "
                      "lighting"),
            ],
            "older": [2.5] * 9,
            "mix": MIX_STANDARD,
            "ignore_cadence": True,
            "focus": "dwayne",
            "focus_share": 0.3,
        },
        "expect": {"segment": "maintain", "band": "intense", "flags": ["intrusive"],
                   "story": "Contact far beyond what Dwayne asked for, and a survey to a "
                   "chief executive who asked not to get them."},
    },
    {
        "key": "quayside",
        "account": {
            "name": "Quayside Couriers Ltd",
            "industry": "Logistics",
            "region": "North West",
            "owner": "Tom Ashworth",
            "customer_since": mo(-20),
            "capability_building": True,
            "notes": "Small today, opening depots fast. They call us in at every step.",
        },
        "money": econ(390_000, 18_000, 300, 65, bid=6_000, support=6_000),
        "service": "depot facilities",
        "contracts": [
            contract(
                "Depot facilities services",
                "QCL-DFS-2024",
                mo(-9),
                mo(27),
                420_000,
                notice_period_days=60,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("chen", "Chen Wei", "Chief Operating Officer", "Operations",
                   "economic_buyer", "sponsor", "high", "champion", "growth", mo(-26),
                   win_business="Four new depots open on time.", win_validated=True),
            person("gemma", "Gemma Lloyd", "Property and Expansion Manager", "Property",
                   "user", "key_player", "medium", "champion", "growth", mo(-12)),
            person("patrick", "Patrick Nwosu", "Depot Manager, Liverpool", "Operations",
                   "user", "none", "low", "supporter", "trouble", mo(-30)),
        ],
        "goals": [
            goal("depots", "Open four new depots in the next 18 months", "depots open", "3",
                 "7", mo(18), "next_12_months", 1, confirmed=("chen", mo(-2)),
                 response="Standard fit-out and maintenance package for each new depot."),
        ],
        "evidence": [],
        "concerns": [],
        "improvements": [
            improvement("Depot fit-out package", "One price and checklist for every new "
                        "depot.", "agreed", -50, goal_key="depots"),
        ],
        "changes": [
            change("scope_change", -45, "They want two more depots covered this year.",
                   "Quoted both depots within a week.", -40),
        ],
        "milestones": [],
        "commitments": [
            commitment("customer", "Send floor plans for the Warrington depot",
                       "Gemma Lloyd", -5, -8),
        ],
        "plan": {
            "recent": [
                scene(-6, WORKSHOP, ["chen", "gemma"], "They asked for a workshop on the "
                      "Warrington depot fit-out", initiated_by="customer"),
                scene(-12, CALL, ["patrick"], "Patrick called about a dock leveller fault",
                      initiated_by="customer"),
                scene(-19, EMAIL, ["gemma"], "Gemma sent plans for the Preston site and "
                      "asked for a costing", initiated_by="customer"),
                scene(-25, MEETING, ["gemma", "patrick"], "Gemma asked us to walk the "
                      "Preston site with her", initiated_by="customer"),
                scene(-33, WORKSHOP, ["chen", "gemma", "patrick"], "Chen asked for a "
                      "lessons-learned session on the Bootle opening",
                      initiated_by="customer"),
                scene(-40, CALL, ["gemma"], "Called Gemma to confirm the Preston quote"),
                scene(-47, ESCALATION, ["patrick"], "Patrick escalated a heating failure in "
                      "the sorting hall", initiated_by="customer"),
                scene(-55, MEETING, ["chen"], "Chen asked to meet about their 18-month "
                      "depot plan", initiated_by="customer"),
                scene(-63, CALL, ["gemma"], "Gemma called to check lead times for racking "
                      "inspections", initiated_by="customer"),
                scene(-70, EMAIL, ["patrick"], "Sent Patrick the heating repair report"),
                scene(-78, WORKSHOP, ["chen", "patrick"], "They asked for a workshop to "
                      "plan the Bootle handover", initiated_by="customer"),
            ],
            "older": [1, 1, 1, 1.5, 1.5, 2, 2, 3, 3],
            "mix": MIX_STANDARD,
            "customer_share": 0.6,
        },
        "expect": {"segment": "maintain", "band": "intense", "flags": [],
                   "story": "Contact would count as obsessive, but the customer starts "
                   "most of it: at most intense."},
    },
    {
        "key": "liffey",
        "account": {
            "name": "Liffey Harbour Logistics",
            "industry": "Logistics",
            "region": "Ireland",
            "owner": "Aisling Byrne",
            "currency": "EUR",
            "customer_since": mo(-44),
        },
        "money": econ(650_000, 38_000, 420, 75, bid=5_000, support=9_000),
        "service": "port warehouse maintenance",
        "contracts": [
            contract(
                "Port warehouse maintenance",
                "LHL-PWM-2023",
                mo(-20),
                mo(16),
                620_000,
                procurement_route="selective_tender",
                market_approach_date=mo(10),
                decision_date=mo(13),
                kpis_total=9,
                kpis_met=8,
            ),
        ],
        "people": [
            person("niamh", "Niamh Gallagher", "Operations Director", "Operations",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-36)),
            person("conor", "Conor Walsh", "Warehouse Manager", "Operations",
                   "user", "none", "medium", "champion", "even_keel", mo(-50)),
            person("dariusz", "Dariusz Zieliński", "Health and Safety Officer", "Safety",
                   "technical", "none", "low", "neutral", "unknown", mo(-10)),
        ],
        "goals": [
            goal("cranes", "Keep quayside cranes available through the winter storms",
                 "crane availability", "92%", "98%", mo(10), "next_12_months", 1,
                 confirmed=("niamh", mo(-4))),
        ],
        "evidence": [
            evidence("Storm readiness checks on every crane", "storm-related crane "
                     "faults", "11", "3", (mo(-14), mo(-10)), validated=("conor", mo(-9))),
        ],
        "concerns": [],
        "improvements": [
            improvement("Winter crane inspection plan", "Extra checks before forecast "
                        "storms.", "delivered", -120, -60, goal_key="cranes"),
        ],
        "changes": [],
        "milestones": [milestone("LHL-PWM-2023", "M0", 0, mo(-19), "Aisling Byrne")],
        "commitments": [],
        "plan": {
            "recent": [
                CALL, CALL, EMAIL, RECAP,
                scene(-45, MEETING, ["niamh", "conor"], "Niamh asked for 60-day payment "
                      "terms while their new finance system beds in; agreed for six months",
                      concession_offered=True, concession_requested=True,
                      customer_asked=True, initiated_by="customer"),
            ],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "A concession the customer asked for: not a fear concession."},
    },
    {
        "key": "corrib",
        "account": {
            "name": "Corrib Health Partners",
            "industry": "Healthcare",
            "region": "Ireland",
            "owner": "Aisling Byrne",
            "currency": "EUR",
            "customer_since": mo(-30),
            "contact_cadence_days": 30,
            "notes": "They asked for one contact a month and a review each quarter; nothing "
            "more.",
        },
        "money": econ(540_000, 31_000, 360, 75, bid=3_000, support=6_000),
        "service": "clinic maintenance",
        "contracts": [
            contract(
                "Clinic estate maintenance",
                "CHP-CEM-2024",
                mo(-12),
                mo(30),
                520_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("aoife", "Dr Aoife Brennan", "Clinical Director", "Clinical",
                   "economic_buyer", "key_player", "high", "supporter", "even_keel", mo(-60)),
            person("sean", "Seán Ó Briain", "Practice Operations Manager", "Operations",
                   "user", "sponsor", "medium", "champion", "growth", mo(-28),
                   contact_cadence_days=30, preferred_channel="phone"),
            person("magdalena", "Magdalena Kaczmarek", "Finance Manager", "Finance",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-20)),
        ],
        "goals": [
            goal("clinics", "No clinic sessions cancelled for building faults", "sessions "
                 "cancelled a quarter", "6", "0", mo(9), "now", 1, confirmed=("sean", mo(-3)),
                 response="Same-day response for faults in clinical rooms."),
        ],
        "evidence": [
            evidence("Same-day response for clinical rooms", "sessions cancelled a quarter",
                     "6", "1", (mo(-6), mo(-1)), validated=("sean", mo(-1))),
        ],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [
                scene(-72, MEETING, ["aoife", "magdalena"], "Quarterly review: results, "
                      "costs and the plan for the next quarter"),
                scene(-40, CALL, ["sean"], "Monthly call with Seán on open jobs"),
                scene(-8, RECAP, ["sean"], "Sent the month's summary of jobs closed and "
                      "clinic hours saved"),
            ],
            "older": [1.2] * 9,
            "mix": {MEETING: 1, CALL: 2, RECAP: 1},
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "The customer set the cadence and we keep to it."},
    },
    {
        "key": "sefton",
        "account": {
            "name": "Sefton Digital Exchange",
            "industry": "Telecoms",
            "region": "North West",
            "owner": "Marek Nowak",
            "customer_since": -150,
            "market_entry": True,
            "forecast_contribution_minor": 60_000_00,
            "notes": "First data centre customer. Five months of figures only.",
        },
        "money": econ(210_000, 15_000, 160, 70, bid=12_000, support=3_000),
        "service": "data hall facilities",
        "contracts": [
            contract(
                "Data hall facilities services",
                "SDX-DH-2025",
                -150,
                mo(33),
                500_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("laura", "Laura Kinsella", "Site Director", "Operations",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-24)),
            person("hassan", "Hassan Jaber", "Critical Facilities Engineer", "Engineering",
                   "technical", "none", "medium", "unknown", "unknown", -60),
            person("ella", "Ella Forsyth", "Commercial Analyst", "Finance",
                   "unknown", "none", "low", "unknown", "unknown", mo(-8)),
        ],
        "goals": [
            goal("tier", "Certify the second data hall to the same tier as the first",
                 "halls certified", "1", "2", mo(15), "next_12_months", 1),
        ],
        "evidence": [],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [milestone("SDX-DH-2025", "M0", 0, -140, "Marek Nowak",
                                 "Cadence asked: fortnightly for the first six months.")],
        "commitments": [
            commitment("us", "Baseline report for the first quarter", "Marek Nowak", -55,
                       -58),
        ],
        "plan": {
            "recent": [MEETING, MEETING, CALL, EMAIL, EMAIL],
            "older": [3, 3],
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "unrated", "band": "proportionate", "flags": [],
                   "story": "New customer with under a year of figures: unrated, judged on "
                   "forecast."},
    },
    {
        "key": "harcourt",
        "account": {
            "name": "Harcourt Dental Group",
            "industry": "Healthcare",
            "region": "London",
            "owner": "Priya Raman",
            "customer_since": mo(-45),
        },
        "money": econ(450_000, 27_000, 300, 70, bid=4_000, support=6_000),
        "service": "practice maintenance",
        "contracts": [
            contract(
                "Practice maintenance, 32 clinics",
                "HDG-PM-2022",
                mo(-33),
                mo(2.5),
                430_000,
                procurement_route="option_to_extend",
                extension_months=12,
                extension_exercise_by=mo(1),
                extension_holder="mutual",
                decision_date=mo(1),
                kpis_total=8,
                kpis_met=7,
            ),
        ],
        "people": [
            person("nikhil", "Dr Nikhil Verma", "Clinical Director", "Clinical",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-70)),
            person("claire", "Claire Dunmore", "Head of Practice Support", "Operations",
                   "user", "none", "medium", "champion", "even_keel", mo(-40),
                   contact_cadence_days=21),
            person("tunde", "Tunde Bakare", "Finance Business Partner", "Finance",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-16)),
        ],
        "goals": [
            goal("chairs", "Keep every dental chair working during opening hours",
                 "chair downtime hours a month", "46", "20", mo(9), "now", 1,
                 confirmed=("claire", mo(-3)),
                 response="Priority response for chair and compressor faults."),
        ],
        "evidence": [
            evidence("Compressor servicing moved to evenings", "clinic closures a quarter",
                     "5", "0", (mo(-9), mo(-3)), validated=("claire", mo(-2))),
        ],
        "concerns": [],
        "improvements": [
            improvement("Evening compressor servicing", "No more daytime shutdowns.",
                        "acknowledged", -280, -220, -200, goal_key="chairs"),
        ],
        "changes": [],
        "milestones": [milestone("HDG-PM-2022", "M5", 0, -30, "Priya Raman")],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, CALL, RECAP, EMAIL],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "Fair, efficient service near an extension decision."},
    },
    {
        "key": "marshlane",
        "account": {
            "name": "Marsh Lane Academy Trust",
            "industry": "Education",
            "region": "East of England",
            "owner": "Grace Mensah",
            "customer_since": mo(-50),
            "notes": "Tender live: talk to the trust only through the tender portal until "
            "the award.",
        },
        "money": econ(560_000, 33_000, 380, 65, bid=14_000, support=6_000),
        "service": "cleaning and caretaking",
        "contracts": [
            contract(
                "Multi-academy cleaning and caretaking",
                "MLAT-CC-2022",
                mo(-36),
                mo(5),
                540_000,
                public_sector=True,
                procurement_route="open_tender",
                market_approach_date=-40,
                decision_date=35,
                status="renewing",
                kpis_total=12,
                kpis_met=11,
                walk_away="Bid at our standard margin; do not match a low bid.",
            ),
        ],
        "people": [
            person("simone", "Dr Simone Clarke", "Chief Executive Officer", "Executive",
                   "economic_buyer", "sponsor", "high", "supporter", "even_keel", mo(-40)),
            person("gordon", "Gordon Blake", "Estates and Facilities Lead", "Estates",
                   "user", "none", "medium", "supporter", "growth", mo(-36)),
            person("kemi", "Kemi Adebayo", "Procurement and Contracts Officer",
                   "Procurement", "technical", "none", "medium", "neutral", "even_keel",
                   mo(-12)),
        ],
        "goals": [
            goal("cost", "Same cleaning standard for less across five schools", "cost per "
                 "pupil a year", "£61", "£55", mo(12), "next_12_months", 1,
                 confirmed=("simone", mo(-8)), response="Shared caretaking team across two "
                 "nearby schools, in our bid."),
        ],
        "evidence": [
            evidence("Shared caretaker pilot at two schools", "caretaking cost per pupil",
                     "£14", "£11", (mo(-10), mo(-4)), validated=("gordon", mo(-3))),
        ],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [milestone("MLAT-CC-2022", "M7", 0, -60, "Grace Mensah",
                                 "Probity briefing for everyone on the account.")],
        "commitments": [],
        "plan": {
            "recent": [
                scene(-80, CALL, ["simone"], "Final service review call before the tender "
                      "opens"),
                scene(-76, CALL, ["gordon"], "Agreed how the asset data will be handed over "
                      "for the tender pack"),
                scene(-70, EMAIL, ["kemi"], "Sent the contract data the trust asked for "
                      "ahead of the tender (asset list and staffing)"),
                scene(-35, CLARIFY, [], "Submitted clarification questions on the tender "
                      "portal"),
                scene(-20, CLARIFY, [], "Answered a clarification on staffing numbers"),
                scene(-8, CLARIFY, [], "Confirmed site visit attendance through the portal"),
            ],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "neglect", "flags": [],
                   "story": "Live tender handled properly: formal channel only, so contact "
                   "is low by design."},
    },
    {
        "key": "oakhurst",
        "account": {
            "name": "Oakhurst Facilities Group",
            "industry": "Facilities management",
            "region": "Yorkshire and the Humber",
            "owner": "Tom Ashworth",
            "customer_since": mo(-64),
        },
        "money": econ(820_000, 36_000, 520, 75, bid=15_000, support=10_000),
        "service": "HVAC servicing",
        "contracts": [
            contract(
                "Specialist HVAC subcontract",
                "OFG-HVAC-2023",
                mo(-24),
                mo(24),
                700_000,
                procurement_route="option_to_extend",
                extension_months=12,
                extension_exercise_by=mo(20),
                extension_holder="customer",
                kpis_total=10,
                kpis_met=9,
            ),
            contract(
                "Fire alarm servicing",
                "OFG-FIRE-2021",
                mo(-39),
                -95,
                240_000,
                procurement_route="selective_tender",
                status="lost",
                outcome_notes="Lost on price to a regional specialist.",
                debrief_notes="They said we were 18% above the winner and never showed what "
                "the difference bought them.",
            ),
        ],
        "people": [
            person("jonathan", "Jonathan Pryor", "Commercial Director", "Commercial",
                   "economic_buyer", "key_player", "high", "neutral", "even_keel", mo(-50)),
            person("bronwen", "Bronwen Lewis", "Regional Contracts Manager", "Operations",
                   "user", "sponsor", "medium", "supporter", "growth", mo(-30)),
            person("ifeanyi", "Ifeanyi Okeke", "HVAC Technical Lead", "Engineering",
                   "technical", "none", "medium", "supporter", "even_keel", mo(-22)),
        ],
        "goals": [
            goal("margin", "Win back margin on their hospital contracts", "their gross "
                 "margin on HVAC", "9%", "13%", mo(18), "next_12_months", 1),
        ],
        "evidence": [],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, EMAIL, RECAP, EMAIL],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "Lost the fire alarm work on price; the HVAC work continues."},
    },
    {
        "key": "aldhelm",
        "account": {
            "name": "St Aldhelm's Hospice",
            "industry": "Healthcare",
            "region": "South West",
            "owner": "Priya Raman",
            "customer_since": mo(-38),
        },
        "money": econ(260_000, 14_000, 180, 65, support=4_000),
        "service": "building and grounds",
        "contracts": [
            contract(
                "Building and grounds maintenance",
                "SAH-BGM-2024",
                mo(-13),
                mo(24),
                250_000,
                notice_period_days=60,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("margaret", "Margaret Ellery", "Director of Finance and Resources",
                   "Finance", "economic_buyer", "sponsor", "high", "supporter", "even_keel",
                   mo(-80)),
            person("kofi", "Kofi Antwi", "Facilities Coordinator", "Facilities",
                   "user", "none", "medium", "champion", "growth", mo(-20)),
            person("lorna", "Lorna Pascoe", "Head of Inpatient Care", "Clinical",
                   "user", "none", "low", "neutral", "unknown", mo(-60), no_surveys=True),
        ],
        "goals": [
            goal("garden", "Gardens patients can use all year", "months the garden is "
                 "usable", "7", "11", mo(12), "next_12_months", 1),
        ],
        "evidence": [],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, EMAIL],
            "older": [1.2] * 9,
            "mix": MIX_LIGHT,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "Small charity account served simply."},
    },
    {
        "key": "carrick",
        "account": {
            "name": "Carrick Water Metering",
            "industry": "Utilities",
            "region": "Wales",
            "owner": "Marek Nowak",
            "customer_since": mo(-40),
        },
        "money": econ(430_000, 25_000, 300, 70, bid=6_000, support=5_000),
        "service": "meter reading",
        "contracts": [
            contract(
                "Meter reading field service",
                "CWM-MR-2023",
                mo(-26),
                mo(10),
                420_000,
                procurement_route="selective_tender",
                market_approach_date=mo(5),
                decision_date=mo(8),
                kpis_total=6,
                kpis_met=6,
            ),
        ],
        "people": [
            person("geraint", "Geraint Evans", "Head of Customer Operations", "Operations",
                   "economic_buyer", "sponsor", "high", "supporter", "even_keel", mo(-50)),
            person("alys", "Alys Jenkins", "Metering Team Leader", "Operations",
                   "user", "none", "medium", "champion", "growth", mo(-26)),
            person("sunil", "Sunil Kapoor", "Procurement Specialist", "Procurement",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-10)),
        ],
        "goals": [
            goal("estimates", "Fewer estimated bills", "bills on estimated reads", "14%",
                 "6%", mo(12), "next_12_months", 1, confirmed=("geraint", mo(-5))),
        ],
        "evidence": [
            evidence("Access appointments booked by text", "reads missed for no access",
                     "11%", "6%", (mo(-9), mo(-3))),
        ],
        "concerns": [],
        "improvements": [
            improvement("Text message access booking", "Customers pick a reading slot by "
                        "text.", "delivered", -210, -120),
        ],
        "changes": [],
        "milestones": [milestone("CWM-MR-2023", "M4", 0, -20, "Marek Nowak")],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, CALL, EMAIL, RECAP, EMAIL],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "Selective tender in five months; steady contact beforehand."},
    },
    {
        "key": "westbury",
        "account": {
            "name": "Westbury Credit Union",
            "industry": "Banking",
            "region": "South West",
            "owner": "Daniel Kerr",
            "customer_since": mo(-28),
        },
        "money": econ(310_000, 19_000, 200, 70, support=4_000),
        "service": "branch cleaning",
        "contracts": [
            contract(
                "Branch cleaning and security",
                "WCU-CS-2024",
                mo(-16),
                mo(32),
                300_000,
                notice_period_days=60,
            ),
        ],
        "people": [
            person("jacqueline", "Jacqueline Hurst", "Chief Executive", "Executive",
                   "economic_buyer", "sponsor", "high", "supporter", "even_keel", mo(-90)),
            person("dominic", "Dominic Yates", "Operations Manager", "Operations",
                   "user", "none", "medium", "supporter", "growth", mo(-30)),
            person("precious", "Precious Ndlovu", "Compliance Officer", "Compliance",
                   "technical", "none", "low", "neutral", "even_keel", mo(-14)),
        ],
        "goals": [
            goal("branches", "Open two community branches in shared buildings", "branches",
                 "4", "6", mo(24), "one_to_three_years", 1),
        ],
        "evidence": [],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, EMAIL, EMAIL],
            "older": [1.3] * 9,
            "mix": MIX_LIGHT,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "Small, steady account."},
    },
    {
        "key": "cheviot",
        "account": {
            "name": "Cheviot Telecom Services",
            "industry": "Telecoms",
            "region": "North East",
            "owner": "Marek Nowak",
            "customer_since": mo(-26),
        },
        "money": econ(480_000, 28_000, 320, 70, bid=5_000, support=6_000),
        "service": "exchange cleaning",
        "contracts": [
            contract(
                "Exchange cleaning",
                "CTS-EC-2024",
                mo(-11),
                mo(25),
                300_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
            contract(
                "Rooftop plant maintenance",
                "CTS-RPM-2025",
                mo(-4),
                mo(28),
                180_000,
                notice_period_days=90,
            ),
        ],
        "people": [
            person("alistair", "Alistair Crane", "Head of Estates", "Estates",
                   "economic_buyer", "sponsor", "high", "supporter", "even_keel", mo(-40)),
            person("joanna", "Joanna Kirkup", "Facilities Lead", "Estates",
                   "user", "none", "medium", "supporter", "growth", mo(-20)),
            person("vikram", "Vikram Joshi", "Network Site Engineer", "Engineering",
                   "technical", "none", "low", "neutral", "trouble", mo(-30)),
        ],
        "goals": [
            goal("roof", "Stop roof plant failures in summer heat", "summer plant "
                 "failures", "9", "2", mo(8), "next_12_months", 1,
                 confirmed=("joanna", mo(-4)), response="Pre-summer service on all chillers."),
        ],
        "evidence": [],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [milestone("CTS-RPM-2025", "M0", 0, mo(-4) + 10, "Marek Nowak")],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, CALL, EMAIL, EMAIL],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "A second contract added this year."},
    },
    {
        "key": "ribblesdale",
        "account": {
            "name": "Ribblesdale Mills",
            "industry": "Manufacturing",
            "region": "North West",
            "owner": "Tom Ashworth",
            "customer_since": mo(-100),
        },
        "money": econ(690_000, 40_000, 440, 70, bid=4_000, support=9_000),
        "service": "mill engineering",
        "contracts": [
            contract(
                "Mill engineering support",
                "RBM-ENG-2022",
                mo(-30),
                mo(26),
                420_000,
                notice_period_days=120,
                procurement_route="negotiated",
                kpis_total=8,
                kpis_met=7,
            ),
            contract(
                "Boiler house maintenance 2023",
                "RBM-BLR-2023",
                mo(-26),
                -75,
                200_000,
                procurement_route="negotiated",
                status="renewed",
                outcome_notes="Renewed for three years as RBM-BLR-2026.",
                debrief_notes="Renewal was easy because the fuel savings had been agreed "
                "with their engineer every quarter.",
            ),
            contract(
                "Boiler house maintenance 2026",
                "RBM-BLR-2026",
                -74,
                mo(33),
                210_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("edward", "Edward Haworth", "Managing Director", "Executive",
                   "economic_buyer", "key_player", "high", "supporter", "even_keel", mo(-120)),
            person("shazia", "Shazia Akhtar", "Head of Engineering", "Engineering",
                   "user", "sponsor", "medium", "champion", "growth", mo(-36)),
            person("gary", "Gary Nuttall", "Boiler House Supervisor", "Engineering",
                   "user", "none", "low", "supporter", "even_keel", mo(-100)),
        ],
        "goals": [
            goal("steam", "Cut steam costs as gas prices stay high", "gas per tonne of "
                 "cloth", "1.9 MWh", "1.5 MWh", mo(12), "next_12_months", 1,
                 confirmed=("shazia", mo(-5)), response="Condensate return upgrade."),
        ],
        "evidence": [
            evidence("Burner tuning each quarter", "gas per tonne of cloth", "2.1 MWh",
                     "1.9 MWh", (mo(-12), mo(-3)), validated=("shazia", mo(-3))),
        ],
        "concerns": [],
        "improvements": [
            improvement("Condensate return upgrade", "Recover hot condensate to the boiler "
                        "feed.", "agreed", -90, goal_key="steam"),
        ],
        "changes": [],
        "milestones": [
            milestone("RBM-BLR-2023", "M9", 0, -80, "Tom Ashworth", "Renewal agreed."),
            milestone("RBM-BLR-2026", "M0", 0, -60, "Tom Ashworth"),
        ],
        "commitments": [],
        "plan": {
            "recent": [MEETING, CALL, EMAIL, RECAP, EMAIL],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "maintain", "band": "proportionate", "flags": [],
                   "story": "A renewal won on evidence agreed along the way."},
    },
    {
        "key": "stourhaven",
        "account": {
            "name": "Stourhaven Distribution Ltd",
            "industry": "Logistics",
            "region": "East Midlands",
            "owner": "Tom Ashworth",
            "customer_since": mo(-88),
            "notes": "Big revenue, negative contribution: free out-of-hours call-outs and "
            "special terms eat the margin.",
        },
        "money": econ(3_100_000, -140_000, 3400, 70, bid=60_000, special=180_000,
                      support=210_000),
        "service": "distribution centre FM",
        "contracts": [
            contract(
                "Distribution centre facilities management",
                "SDL-FM-2020",
                mo(-57),
                mo(7),
                3_000_000,
                notice_deadline=mo(1),
                procurement_route="negotiated",
                decision_date=mo(4),
                kpis_total=20,
                kpis_met=14,
                price_gap_pct="-9",
                walk_away="Renew only without free out-of-hours call-outs and with a 7% "
                "price rise; otherwise give notice and hand over cleanly.",
            ),
        ],
        "people": [
            person("nigel", "Nigel Osborne", "Managing Director", "Executive",
                   "economic_buyer", "key_player", "high", "opponent", "overconfident",
                   mo(-100)),
            person("sunita", "Sunita Rao", "Facilities Manager", "Facilities",
                   "user", "sponsor", "medium", "supporter", "trouble", mo(-40)),
            person("craig", "Craig Hemmings", "Finance Controller", "Finance",
                   "technical", "none", "medium", "sceptic", "even_keel", mo(-30)),
        ],
        "goals": [
            goal("savings", "Five per cent off every supplier's price this year", "FM "
                 "spend", "£3.0m", "£2.85m", mo(6), "now", 1, confirmed=("craig", mo(-3))),
        ],
        "evidence": [
            evidence("Sprinkler system brought back to full compliance", "failed weekly "
                     "tests", "6", "1", (mo(-12), mo(-8)), validated=("sunita", mo(-7))),
        ],
        "concerns": [
            concern("Sprinkler pump failed its weekly test three weeks running", 1, -45,
                    action="Pump controller replaced; waiting on insurer sign-off."),
            concern("Out-of-hours call-outs cost us more than the contract recovers", 2, -200,
                    visible=False, action="Raise in the renewal as a scope-for-price trade."),
        ],
        "improvements": [],
        "changes": [
            change("budget_cut", -90, "They asked every supplier for 5% savings.",
                   "Declined a flat cut; offered to trade scope for price.", -80),
        ],
        "milestones": [milestone("SDL-FM-2020", "M3", 0, mo(-11), "Tom Ashworth",
                                 "Walk-away agreed with the board.")],
        "commitments": [
            commitment("us", "Scope-for-price options for Craig", "Tom Ashworth", 10),
        ],
        "plan": {
            "recent": [CALL, CALL, EMAIL, EMAIL],
            "older": [1.5] * 9,
            "mix": MIX_STANDARD,
        },
        "expect": {"segment": "drain", "band": "proportionate", "flags": [],
                   "story": "High revenue, negative contribution, walk-away set: fix the "
                   "terms or exit."},
    },
    {
        "key": "kestrel",
        "account": {
            "name": "Kestrel Discount Stores",
            "industry": "Retail",
            "region": "West Midlands",
            "owner": "Daniel Kerr",
            "customer_since": mo(-52),
        },
        "money": econ(900_000, -45_000, 900, 70, bid=25_000, special=50_000,
                      support=70_000),
        "service": "store reactive maintenance",
        "contracts": [
            contract(
                "Store reactive maintenance",
                "KDS-RM-2023",
                mo(-22),
                mo(26),
                700_000,
                notice_period_days=90,
                procurement_route="negotiated",
                kpis_total=12,
                kpis_met=9,
            ),
            contract(
                "Night-time store cleaning",
                "KDS-NC-2021",
                mo(-50),
                -80,
                260_000,
                procurement_route="negotiated",
                status="exited",
                outcome_notes="We gave notice: the cleaning lost money every month and they "
                "would not reprice.",
                debrief_notes="Handover finished on time; their area managers thanked the "
                "night team.",
            ),
        ],
        "people": [
            person("gurpreet", "Gurpreet Dhillon", "Head of Store Operations", "Operations",
                   "economic_buyer", "key_player", "high", "neutral", "even_keel", mo(-36)),
            person("lee", "Lee Whitfield", "Maintenance Coordinator", "Operations",
                   "user", "none", "low", "supporter", "trouble", mo(-24)),
            person("amara", "Amara Eze", "Buyer, Indirect Spend", "Procurement",
                   "technical", "none", "medium", "sceptic", "even_keel", mo(-12)),
        ],
        "goals": [],
        "evidence": [],
        "concerns": [
            concern("Callout volumes far above what the price assumed", 2, -150,
                    visible=False, action="Share callout data and propose a callout cap."),
        ],
        "improvements": [],
        "changes": [],
        "milestones": [milestone("KDS-NC-2021", "M10", 0, -70, "Daniel Kerr",
                                 "Exit reason recorded.")],
        "commitments": [],
        "plan": {
            "recent": [CALL, EMAIL, EMAIL],
            "older": [1] * 9,
            "mix": MIX_LIGHT,
        },
        "expect": {"segment": "drain", "band": "proportionate", "flags": [],
                   "story": "We exited the loss-making cleaning contract; maintenance still "
                   "loses money."},
    },
    {
        "key": "brabant",
        "account": {
            "name": "Brabant Koeltransport B.V.",
            "industry": "Logistics",
            "region": "Netherlands",
            "owner": "Aisling Byrne",
            "currency": "EUR",
            "customer_since": mo(-20),
            "market_entry": True,
            "segment_override": "maintain",
            "segment_override_reason": "First cold-chain customer in the Netherlands and our "
            "reference for two Rotterdam bids. Serve it fairly, not as an exit candidate; "
            "review after those bids.",
        },
        "money": econ(700_000, -25_000, 700, 80, bid=40_000, special=30_000,
                      support=25_000),
        "service": "cold store maintenance",
        "contracts": [
            contract(
                "Cold store maintenance, Tilburg",
                "BKT-CSM-2024",
                mo(-18),
                mo(30),
                680_000,
                notice_period_days=90,
                procurement_route="negotiated",
            ),
        ],
        "people": [
            person("sanne", "Sanne de Vries", "Operations Manager", "Operations",
                   "economic_buyer", "sponsor", "high", "supporter", "growth", mo(-30)),
            person("pieter", "Pieter Janssen", "Technical Manager", "Engineering",
                   "technical", "none", "medium", "neutral", "even_keel", mo(-40)),
            person("yusuf", "Yusuf Demir", "Warehouse Supervisor", "Operations",
                   "user", "none", "low", "supporter", "unknown", mo(-15)),
        ],
        "goals": [
            goal("energy", "Lower energy cost per pallet in the cold store", "kWh per "
                 "pallet a month", "21", "17", mo(12), "next_12_months", 1,
                 confirmed=("sanne", mo(-6))),
        ],
        "evidence": [],
        "concerns": [],
        "improvements": [],
        "changes": [],
        "milestones": [],
        "commitments": [],
        "plan": {
            "recent": [CALL, CALL, EMAIL, EMAIL],
            "older": [1] * 9,
            "mix": MIX_LIGHT,
        },
        "expect": {"segment": "drain", "alt_segment": "maintain",
                   "band": "proportionate", "flags": [],
                   "story": "Loss-making market entry, overridden to Maintain with a "
                   "reason; contact is proportionate under either segment."},
    },
]
# fmt: on


# ---- the campaign as the team kept it -------------------------------------------------------

#: Contracts whose campaign began to be kept in the app after their term started, with the day
#: (an offset) it began: these accounts were imported from the CRM 60 days ago, so what fell
#: due before that shows as "before tracking". Every other contract is tracked from its start.
TRACKED_LATE: dict[str, int] = {
    "SDL-FM-2020": -60,
    "CWM-MR-2023": -60,
    "WCU-CS-2024": -60,
    "CTS-EC-2024": -60,
    "CTS-RPM-2025": -60,
}
#: The only milestones left undone on purpose (reference, code, occurrence; a negative
#: occurrence counts back from the latest value review due, -1 being the latest). Everything
#: else due since tracking began was done.
LATE: dict[tuple[str, str, int], str] = {
    ("CLB-FM-2021", "M3", 0): "Campaign kickoff never held: the decision is within a year",
    ("CLB-FM-2021", "M1", -2): "Value review skipped as contact faded",
    ("CLB-FM-2021", "M1", -1): "Latest value review skipped too",
    ("CVF-ENG-2021", "M4", 0): "No future-goals conversation: the economic buyer is unknown",
    ("ACC-HFM-2021", "M6", 0): "No next-term plan or price review for the mandated tender",
}
#: Before tracking began, the importing team recorded what their old notes proved.
RECORDED_FROM_NOTES = {"M0", "M2"}
#: The day the generator lays the campaign out on. Due dates are month arithmetic, so they move
#: a day or two with the load day; nothing is left within a week of today or of the day
#: tracking began, and :func:`check` confirms the statuses on load days across two years.
NOMINAL_DAY = (2026, 1, 15)
MARGIN = 7

#: Short notes, in the team's words, by milestone code.
NOTES: dict[str, tuple[str, ...]] = {
    "M0": (
        "Start-of-term workshop: KPIs baselined, review dates in both diaries.",
        "Goals written up and sent back for their sign-off; evidence log opened.",
        "They want a short monthly update by email and a proper review twice a year.",
    ),
    "M1": (
        "Review held; savings and service figures logged.",
        "Walked through the KPI trend; two actions agreed.",
        "Review done, one-page recap sent the same day.",
        "",
    ),
    "M2": (
        "Health check: risk scored, notice and option dates checked in the contract.",
        "Mid-term check done; posture and maturity unchanged.",
    ),
    "M3": (
        "Kickoff: team named, situation reviewed, walk-away agreed with finance.",
        "Campaign started; desired outcome and walk-away written down.",
    ),
    "M4": (
        "Asked each senior stakeholder what the next three years must deliver.",
        "Future-goals conversations held; answers logged against their goals.",
    ),
    "M5": (
        "Readiness check: fix-it plan for the open concerns agreed.",
        "Readiness reviewed; scope ideas shared before their plans set.",
    ),
    "M6": (
        "Next-term plan shown to their director with a price review.",
        "Executive plan for the next term presented; improvements costed.",
    ),
    "M7": (
        "Route decided, evidence pack complete, probity briefing held.",
        "Second readiness check done; evidence pack signed off.",
    ),
    "M8": ("Procurement live: formal channels only from here.",),
    "M9": ("Decision received; debrief held and lessons written up.",),
    "M10": ("Outcome recorded and the next step set.",),
    "N": ("Position on notice agreed internally well before the deadline.",),
    "X": ("Option decision agreed with the customer ahead of the exercise date.",),
}


def _nominal_day() -> Any:
    from datetime import date

    return date(*NOMINAL_DAY)


def _as_contract(row: dict[str, Any], today: Any) -> m.Contract:
    """A contract row of the sample as the app would load it on ``today``."""
    from ..storage.sample import resolve_row

    fields = {k: v for k, v in row.items() if k != "key"}
    return resolve_row(m.Contract, fields, today)  # type: ignore[return-value]


def _campaign_of(row: dict[str, Any], segment: str, today: Any, done: list[dict[str, Any]]):
    from datetime import timedelta

    from ..core.scoring.timeline import campaign

    records = [
        m.Milestone(
            id=r["id"],
            contract_id=r["contract_id"],
            code=r["code"],
            occurrence=r.get("occurrence", 0),
            done_on=None if r.get("done_on") is None else today + timedelta(days=r["done_on"]),
        )
        for r in done
    ]
    return campaign(_as_contract(row, today), segment, today, records)


def _kept_milestones(
    spec: dict[str, Any], rows: list[dict[str, Any]], written: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Milestone records for every contract of ``spec`` as its team kept them: what fell due
    since tracking began is done a few days either side of its date, unless it is in
    :data:`LATE`; before tracking, only what :data:`RECORDED_FROM_NOTES` names. ``written``
    are the hand-written records, which win."""
    rng = random.Random(f"{SEED}:{spec['key']}:milestones")
    day = _nominal_day()
    owner = spec["account"].get("owner", "")
    segment = spec["expect"]["segment"]
    have = {(w["contract"], w["code"], w["occurrence"]) for w in written}
    out = []
    for row in rows:
        ref = row["reference"]
        tracked = row["tracked_since"]
        live = row.get("status", "active") in ACTIVE
        camp = _campaign_of(row, segment, day, [])
        past = [x.occurrence for x in camp.milestones if x.code == "M1" and x.due < day]
        back = {occ: i - len(past) for i, occ in enumerate(past)}  # latest → -1
        for x in camp.milestones:
            due = (x.due - day).days
            occ = back.get(x.occurrence, x.occurrence) if x.code == "M1" else x.occurrence
            if (ref, x.code, x.occurrence) in have or (ref, x.code, occ) in LATE:
                continue
            if due >= MARGIN:
                continue  # not due yet
            if live and x.code in ("M9", "M10"):
                continue  # decided only when it is
            if abs(due - tracked) < MARGIN:
                pass  # at the edge of tracking: done, so no load day can make it late
            elif due < tracked and x.code not in RECORDED_FROM_NOTES:
                continue  # before tracking, and nobody wrote it down
            lag = rng.choice((-3, -1, 0, 2, 4, 6, 9, 13))
            done = min(due + lag, -1)
            if due < tracked <= done:
                done = tracked - 1  # recorded from notes: it was done before the import
            note = rng.choice(NOTES[x.code])
            out.append(milestone(ref, x.code, x.occurrence, done, owner, note))
    return out


# ---- generation -----------------------------------------------------------------------------
# ---- generation -----------------------------------------------------------------------------


def _fill(points: float, mix: dict[str, float], rng: random.Random) -> list[str]:
    """Interaction types from ``mix`` whose weights add up to ``points`` (to the half point)."""
    out: list[str] = []
    left = points
    while left > 0.24:
        options = [t for t in mix if 0 < WEIGHTS[t] <= left + 1e-9]
        if not options:
            break
        kind = rng.choices(options, weights=[mix[t] for t in options])[0]
        out.append(kind)
        left -= WEIGHTS[kind]
    return out


def _spread(kinds: list[str], lo: int, hi: int, rng: random.Random) -> list[dict[str, Any]]:
    """Place ``kinds`` evenly between days ``lo`` and ``hi`` (inclusive) with a little jitter."""
    kinds = list(kinds)
    rng.shuffle(kinds)
    out = []
    for i, kind in enumerate(kinds):
        day = round(hi - (hi - lo) * (i + 0.5) / len(kinds)) + rng.randint(-2, 2)
        out.append({"day": min(hi, max(lo, day)), "type": kind})
    return out


def _mark_exact(items: list[dict], share: float, eligible, key: str, value: Any, rng) -> None:
    """Set ``key`` to ``value`` on exactly round(share x n) of the eligible generated items."""
    pool = [it for it in items if eligible(it) and key not in it]
    for it in rng.sample(pool, round(share * len(pool))):
        it[key] = value


def _interactions(spec: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """Every interaction of one account, oldest first, with people not yet assigned."""
    plan = spec["plan"]
    start = max(-364, spec["account"]["customer_since"] + 2)
    groups: list[list[dict[str, Any]]] = []
    lo, hi = plan.get("recent_span", (-86, -2))
    generic = [x for x in plan["recent"] if isinstance(x, str)]
    scripted = [dict(x) for x in plan["recent"] if isinstance(x, dict)]
    if generic:
        groups.append(_spread(generic, lo, hi, rng))
    chunks = plan["older"]
    edges = [round(start + (-96 - start) * i / len(chunks)) for i in range(len(chunks) + 1)]
    for i, points in enumerate(chunks):
        kinds = _fill(points, plan["mix"], rng)
        if kinds:
            groups.append(_spread(kinds, edges[i] + 1, edges[i + 1], rng))
    for group in groups:
        _mark_exact(
            group,
            plan.get("customer_share", 0.15),
            lambda it: it["type"] not in (ESCALATION, SURVEY, PITCH),
            "initiated_by",
            "customer",
            rng,
        )
        _mark_exact(
            group,
            plan.get("noise", 0.08),
            lambda it: it["type"] in (EMAIL, CALL),
            "brought_value",
            False,
            rng,
        )
    items = [it for group in groups for it in group] + scripted
    items.sort(key=lambda it: it["day"])
    return items


def _choose_people(
    item: dict[str, Any],
    spec: dict[str, Any],
    people: list[dict[str, Any]],
    counts: dict[str, float],
    last: dict[str, int],
    rng: random.Random,
) -> list[str]:
    plan = spec["plan"]
    day = item["day"]
    kind = item["type"]
    size = rng.randint(*GROUP_SIZE.get(kind, (1, 1)))
    if kind == MEETING and len(people) < 4:
        size = 1  # small accounts: a two-person meeting would make one person most of the contact
    if size == 0:
        return []

    def available(p: dict[str, Any]) -> bool:
        if p.get("in_role_since") is not None and p["in_role_since"] > day:
            return False
        if p.get("left_on") is not None and p["left_on"] <= day:
            return False
        if kind == SURVEY and p.get("no_surveys"):
            return False
        cadence = p.get("contact_cadence_days")
        if cadence and not plan.get("ignore_cadence") and p["key"] in last:
            return day - last[p["key"]] >= round(cadence * 1.5)
        return True

    pool = [p for p in people if available(p)]
    focus = plan.get("focus")
    if focus and any(p["key"] == focus for p in pool) and rng.random() < plan["focus_share"]:
        chosen = [focus]
        if size > 1:
            eb = [p["key"] for p in pool if p["buying_role"] == "economic_buyer"]
            chosen += eb[:1]
        return chosen
    chosen: list[str] = []
    if kind == EXEC:
        chosen += [p["key"] for p in pool if p["buying_role"] == "economic_buyer"][:1]
    rest = [p["key"] for p in pool if p["key"] not in chosen]
    rng.shuffle(rest)
    rest.sort(key=lambda k: counts[k])
    chosen += rest[: max(0, size - len(chosen))]
    return chosen


def _running(contracts: list[dict[str, Any]], main: dict[str, Any], day: int) -> str | None:
    """The contract a routine contact on ``day`` is about: the main one if it had started."""
    running = [c for c in contracts if c["start_date"] <= day <= c["end_date"]]
    if main in running:
        return main["reference"]
    return running[0]["reference"] if running else None


def _interaction_rows(spec: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    key = spec["key"]
    people = spec["people"]
    main = next(c for c in spec["contracts"] if c.get("status", "active") in ACTIVE)
    pools = spec["plan"].get("pools", {})
    counts: dict[str, float] = defaultdict(float)
    last: dict[str, int] = {}
    rows = []
    for n, item in enumerate(_interactions(spec, rng), start=1):
        kind = item["type"]
        who = item.get("people")
        if who is None:
            who = _choose_people(item, spec, people, counts, last, rng)
        for k in who:
            counts[k] += WEIGHTS[kind] + 0.25
            last[k] = item["day"]
        initiated = item.get("initiated_by")
        if initiated is None:
            initiated = "customer" if kind == ESCALATION and rng.random() < 0.9 else "us"
        value = item.get("brought_value")
        if value is None:
            value = kind not in (SURVEY, HOSPITALITY)
        purpose = item.get("purpose")
        if purpose is None:
            if not value and kind in NOISE_PURPOSES:
                choices = NOISE_PURPOSES[kind]
            else:
                choices = pools.get(kind) if rng.random() < 0.6 and kind in pools else None
                choices = choices or PURPOSES[kind]
            purpose = rng.choice(choices).format(svc=spec["service"])
        outcome = item.get("outcome", "")
        next_step = item.get("next_step", "")
        if not outcome and kind in (EXEC, WORKSHOP, MEETING, ESCALATION) and value:
            outcome = rng.choice(OUTCOMES)
            next_step = rng.choice(NEXT_STEPS)
        ref = item.get("contract") or _running(spec["contracts"], main, item["day"])
        rows.append(
            {
                "id": uid("interaction", f"{key}:{n:03d}"),
                "account_id": uid("account", key),
                "contract_id": uid("contract", ref) if ref else None,
                "occurred_on": item["day"],
                "type": kind,
                "channel": item.get("channel") or rng.choice(CHANNELS[kind]),
                "initiated_by": initiated,
                "purpose": purpose,
                "brought_value": value,
                "customer_asked": item.get("customer_asked", initiated == "customer"),
                "concession_offered": item.get("concession_offered", False),
                "concession_requested": item.get("concession_requested", False),
                "effort_hours": rng.choice(EFFORT[kind]),
                "outcome": outcome,
                "next_step": next_step,
                "stakeholder_ids": [uid("stakeholder", f"{key}:{k}") for k in who],
            }
        )
    return rows


def _drop_defaults(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty fields that equal the entity's own default, to keep the file short."""
    blank = ENTITY[table]()
    return {
        k: v
        for k, v in row.items()
        if not (v in ("", None, False, []) and getattr(blank, k, object()) == v)
    }


def build() -> dict[str, Any]:
    """The whole sample as a JSON-ready dict (deterministic)."""
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    design = []
    for spec in ACCOUNTS:
        key = spec["key"]
        rng = random.Random(f"{SEED}:{key}")
        account_id = uid("account", key)
        sid = {p["key"]: uid("stakeholder", f"{key}:{p['key']}") for p in spec["people"]}
        gid = {g["key"]: uid("goal", f"{key}:{g['key']}") for g in spec["goals"]}
        account = {"id": account_id, "currency": "GBP", **spec["account"], **spec["money"]}
        tables["accounts"].append(account)
        contract_rows = []
        for c in spec["contracts"]:
            tracked = TRACKED_LATE.get(c["reference"], c["start_date"])
            contract_rows.append(
                {
                    "id": uid("contract", c["reference"]),
                    "account_id": account_id,
                    **c,
                    "tracked_since": tracked,
                }
            )
        tables["contracts"].extend(contract_rows)
        for p in spec["people"]:
            row = {k: v for k, v in p.items() if k != "key"}
            tables["stakeholders"].append({"id": sid[p["key"]], "account_id": account_id, **row})
        for g in spec["goals"]:
            row = {k: v for k, v in g.items() if k not in ("key", "confirmed")}
            if g["confirmed"]:
                row["confirmed_by_id"] = sid[g["confirmed"][0]]
                row["confirmed_on"] = g["confirmed"][1]
            tables["goals"].append({"id": gid[g["key"]], "account_id": account_id, **row})
        tables["interactions"].extend(_interaction_rows(spec, rng))
        for n, e in enumerate(spec["evidence"], start=1):
            row = {k: v for k, v in e.items() if k != "validated"}
            if e["validated"]:
                row["validated_by_id"] = sid[e["validated"][0]]
                row["validated_on"] = e["validated"][1]
            tables["evidence"].append(
                {"id": uid("evidence", f"{key}:{n}"), "account_id": account_id, **row}
            )
        for n, c in enumerate(spec["concerns"], start=1):
            tables["concerns"].append(
                {"id": uid("concern", f"{key}:{n}"), "account_id": account_id, **c}
            )
        for n, i in enumerate(spec["improvements"], start=1):
            row = {k: v for k, v in i.items() if k != "goal"}
            row["goal_id"] = gid[i["goal"]] if i["goal"] else None
            tables["improvements"].append(
                {"id": uid("improvement", f"{key}:{n}"), "account_id": account_id, **row}
            )
        for n, c in enumerate(spec["changes"], start=1):
            tables["change_events"].append(
                {"id": uid("change", f"{key}:{n}"), "account_id": account_id, **c}
            )
        kept = _kept_milestones(spec, contract_rows, spec["milestones"])
        for ms in spec["milestones"] + kept:
            row = {k: v for k, v in ms.items() if k != "contract"}
            tables["milestones"].append(
                {
                    "id": uid("milestone", f"{ms['contract']}:{ms['code']}:{ms['occurrence']}"),
                    "contract_id": uid("contract", ms["contract"]),
                    **row,
                }
            )
        for n, c in enumerate(spec["commitments"], start=1):
            tables["commitments"].append(
                {"id": uid("commitment", f"{key}:{n}"), "account_id": account_id, **c}
            )
        expect = spec["expect"]
        design.append(
            {
                "account": spec["account"]["name"],
                "account_id": account_id,
                "segment": expect["segment"],
                "band": expect["band"],
                "flags": expect["flags"],
                "story": expect["story"],
            }
        )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "about": "Fictional sample portfolio for Renewal Coach. Every date is a whole number "
        "of days relative to the day the sample is loaded (negative is the past); null means "
        "no date. Money is in minor units (pence or cents) of the account's currency.",
        "generator": "python -m renewal_coach.tools.make_sample",
        "seed": SEED,
        "design": design,
        "tables": {name: [_drop_defaults(name, r) for r in rows] for name, rows in tables.items()},
    }


def render(data: dict[str, Any]) -> str:
    """The sample as JSON text: header fields, then one record per line (diff-friendly)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{"]
    for key in ("format", "format_version", "about", "generator", "seed"):
        lines.append(f"  {dump(key)}: {dump(data[key])},")
    lines.append('  "design": [')
    lines.append(",\n".join(f"    {dump(d)}" for d in data["design"]))
    lines.append("  ],")
    lines.append('  "tables": {')
    names = list(data["tables"])
    for i, name in enumerate(names):
        lines.append(f"    {dump(name)}: [")
        lines.append(",\n".join(f"      {dump(r)}" for r in data["tables"][name]))
        lines.append("    ]" + ("," if i < len(names) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---- self-check: does every account show what it was designed to show? ---------------------


def contribution(account: dict[str, Any]) -> Decimal:
    """Contribution in minor units (DOMAIN.md 3.1): revenue - direct cost - cost to serve."""
    cost_to_serve = (
        Decimal(account.get("serve_hours_12m", "0")) * account.get("hourly_rate_minor", 0)
        + account.get("bid_cost_minor", 0)
        + account.get("special_terms_cost_minor", 0)
        + account.get("support_cost_minor", 0)
    )
    return (
        Decimal(account.get("revenue_12m_minor", 0) - account.get("direct_cost_12m_minor", 0))
        - cost_to_serve
    )


def segments(
    accounts: list[dict[str, Any]], *, rank_unrated: bool = False, inclusive: bool = False
) -> dict[str, str]:
    """Calculated segment per account id. The keywords select neighbouring readings of 3.1."""
    out: dict[str, str] = {}
    ranked = []
    for a in accounts:
        if a.get("customer_since") is not None and a["customer_since"] > -365:
            out[a["id"]] = "unrated"
            if not rank_unrated:
                continue
        ranked.append(a)
    value = {a["id"]: contribution(a) for a in ranked}
    total = sum(v for v in value.values() if v > 0)
    running = Decimal(0)
    for a in sorted(ranked, key=lambda a: -value[a["id"]]):
        v = value[a["id"]]
        cum = (running + max(v, 0) if inclusive else running) / total
        running += max(v, 0)
        if v <= 0:
            seg = "drain"
        elif cum < Decimal("0.8"):
            seg = "treasure"
        elif cum < Decimal("0.95"):
            seg = "develop"
        else:
            seg = "maintain"
        out.setdefault(a["id"], seg)
    return out


def near_renewal(contracts: list[dict[str, Any]]) -> tuple[bool, list[str]]:
    """Whether the x1.5 target applies, and any contract too close to the edge to be sure."""
    near = False
    doubts = []
    for c in contracts:
        if c.get("status", "active") not in ACTIVE:
            continue
        candidates = [c.get("decision_date"), c["end_date"]]
        if c.get("market_approach_date") is not None:
            candidates.append(c["market_approach_date"] - mo(1))
        anchor = min(x for x in candidates if x is not None)
        start = anchor - mo(18)
        stop = c.get("decision_date") if c.get("decision_date") is not None else c["end_date"]
        inside = start <= 0 <= stop
        near = near or inside
        if (inside and (start > -120 or stop < 30)) or (not inside and 0 < start < 120):
            doubts.append(c["reference"])
    return near, doubts


def _band(b: float, customer_led: bool) -> str:
    if b < 0.5:
        return "neglect"
    if b <= 1.5:
        return "proportionate"
    if b <= 2.5 or customer_led:
        return "intense"
    return "obsessive"


def _within(rows: list[dict[str, Any]], days: int) -> list[dict[str, Any]]:
    return [r for r in rows if -days <= r["occurred_on"] <= 0]


def engagement(
    account: dict[str, Any],
    segment: str,
    contracts: list[dict[str, Any]],
    interactions: list[dict[str, Any]],
    *,
    use_cadence: bool = True,
) -> dict[str, Any]:
    """Balance and band for one account under DOMAIN.md 3.2 (one reading of the cadence rule)."""
    near, doubts = near_renewal(contracts)
    cadence = account.get("contact_cadence_days")
    if use_cadence and cadence:
        target = MONTH_DAYS / cadence
    else:
        target = SEGMENT_TARGET[segment] * (1.5 if near else 1)
    window = _within(interactions, WINDOW)
    points = sum(WEIGHTS[i["type"]] for i in window)
    theirs = [i for i in window if i.get("initiated_by") == "customer"]
    by_count = len(theirs) / len(window) if window else 0.0
    by_points = sum(WEIGHTS[i["type"]] for i in theirs) / points if points else 0.0
    b = points / 3 / target
    return {
        "near": near,
        "doubts": doubts,
        "points": points,
        "target": target,
        "balance": b,
        "customer_share": (by_count, by_points),
        "band": _band(b, min(by_count, by_points) >= 0.5),
        "band_other_reading": _band(b, max(by_count, by_points) >= 0.5),
    }


def _share(rows: list[dict[str, Any]], test) -> float:
    return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0


def _thread_shares(rows: list[dict[str, Any]]) -> list[float]:
    """Largest share of contact with one person, by interactions, by mentions and by points."""
    rows = [r for r in rows if r.get("stakeholder_ids")]
    if not rows:
        return [0.0]
    inclusion: Counter[str] = Counter()
    weighted: Counter[str] = Counter()
    for r in rows:
        for s in r.get("stakeholder_ids", []):
            inclusion[s] += 1
            weighted[s] += WEIGHTS[r["type"]]
    mentions = sum(len(r.get("stakeholder_ids", [])) for r in rows)
    points = sum(WEIGHTS[r["type"]] for r in rows) or 1
    top = inclusion.most_common(1)[0][0]
    return [inclusion[top] / len(rows), inclusion[top] / mentions, max(weighted.values()) / points]


def flag_readings(
    account: dict[str, Any],
    contracts: list[dict[str, Any]],
    people: list[dict[str, Any]],
    interactions: list[dict[str, Any]],
) -> dict[str, tuple[bool, bool]]:
    """Each flag of DOMAIN.md 3.2 as (raised under every reading, clear under every reading)."""
    out: dict[str, tuple[bool, bool]] = {}
    windows = (90, 180, 365)

    noise = [
        _share(_within(interactions, w), lambda r: not r.get("brought_value")) for w in windows
    ]
    out["noise"] = (min(noise) > 0.45, max(noise) <= 0.35)

    pitch = [_share(_within(interactions, w), lambda r: r["type"] == PITCH) for w in windows]
    out["pitch_heavy"] = (min(pitch) > 0.3, max(pitch) <= 0.2)

    thread = _thread_shares(_within(interactions, 90)) + _thread_shares(_within(interactions, 365))
    out["single_thread"] = (min(thread) > 0.75, max(thread) <= 0.67)

    current = [p for p in people if p.get("left_on") is None]
    surveys = [r for r in interactions if r["type"] == SURVEY]
    recent_surveys = _within(surveys, 180)
    per_person = Counter(s for r in recent_surveys for s in r.get("stakeholder_ids", []))
    most = max(per_person.values(), default=0)
    ratio = len(recent_surveys) / max(1, len(current))
    gaps = []
    for person_id in {s for r in surveys for s in r.get("stakeholder_ids", [])}:
        days = sorted(
            r["occurred_on"] for r in surveys if person_id in r.get("stakeholder_ids", [])
        )
        gaps += [b - a for a, b in itertools.pairwise(days)]
    out["survey_fatigue"] = (
        most > 1 and ratio > 1,
        most <= 1 and ratio <= 1 and min(gaps, default=999) >= 180,
    )

    unasked = [
        r for r in interactions if r.get("concession_offered") and not r.get("concession_requested")
    ]
    out["fear_concession"] = (
        bool(_within(unasked, 180)),
        not _within(unasked, 365),
    )

    raised_any = False
    clear = True
    for p in people:
        pid = p["id"]
        mine = sorted(r["occurred_on"] for r in interactions if pid in r.get("stakeholder_ids", []))
        asked_no = p.get("no_surveys") and any(pid in r.get("stakeholder_ids", []) for r in surveys)
        cadence = p.get("contact_cadence_days")
        over_count = over_gap = False
        if cadence:
            count = sum(1 for d in mine if d >= -90)
            gap = min((b - a for a, b in itertools.pairwise(mine)), default=999)
            over_count = count > 90 / cadence
            over_gap = gap < cadence
            clear = clear and count <= 90 / cadence - 0.5 and gap >= cadence + 2
        if asked_no and any(pid in r.get("stakeholder_ids", []) for r in _within(surveys, 90)):
            raised_any = True
        clear = clear and not asked_no
        raised_any = raised_any or (over_count and over_gap)
    out["intrusive"] = (raised_any, clear)

    informal = False
    clear = True
    for c in contracts:
        live = (
            c.get("public_sector")
            and c.get("procurement_route") in TENDER_ROUTES
            and c.get("market_approach_date") is not None
            and c.get("decision_date") is not None
            and c["market_approach_date"] <= -1
            and c["decision_date"] >= 1
        )
        if not live:
            continue
        during = [r for r in interactions if r["occurred_on"] >= c["market_approach_date"]]
        informal = informal or any(r["type"] in (HOSPITALITY, CALL, MEETING) for r in during)
        clear = clear and all(r["type"] == CLARIFY for r in during)
    out["probity"] = (informal, clear)
    return out


def check(data: dict[str, Any], report: list[str] | None = None) -> list[str]:
    """Problems with the generated sample against its design (empty when all is well).

    ``report``, when given, receives one summary line per account.
    """
    problems: list[str] = []
    tables = data["tables"]
    by_account: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for name in ("contracts", "stakeholders", "interactions"):
        for row in tables[name]:
            by_account[row["account_id"]][name].append(row)
    readings = [
        segments(tables["accounts"]),
        segments(tables["accounts"], rank_unrated=True),
        segments(tables["accounts"], inclusive=True),
        segments(tables["accounts"], rank_unrated=True, inclusive=True),
    ]
    design = {d["account_id"]: d for d in data["design"]}
    specs = {uid("account", s["key"]): s for s in ACCOUNTS}
    for account in tables["accounts"]:
        aid = account["id"]
        name = account["name"]
        want = design[aid]
        alt = specs[aid]["expect"].get("alt_segment")
        rows = by_account[aid]
        seg = readings[0][aid]
        if seg != want["segment"]:
            problems.append(f"{name}: segment {seg}, designed {want['segment']}")
        for other in readings[1:]:
            if other[aid] not in (want["segment"], alt):
                problems.append(f"{name}: segment {other[aid]} under another reading")
        results = [
            engagement(account, s, rows["contracts"], rows["interactions"], use_cadence=u)
            for s in {seg, alt or seg}
            for u in (True, False)
        ]
        main = results[0]
        for r in results:
            for band in (r["band"], r["band_other_reading"]):
                if band != want["band"]:
                    problems.append(
                        f"{name}: band {band} (B={r['balance']:.2f}), designed {want['band']}"
                    )
        b = main["balance"]
        if any(abs(b - edge) < gap for edge, gap in ((0.5, 0.06), (1.5, 0.14), (2.5, 0.2))):
            problems.append(f"{name}: balance {b:.2f} is too close to a band boundary")
        if main["doubts"]:
            problems.append(f"{name}: renewal window too close to call for {main['doubts']}")
        flags = flag_readings(
            account, rows["contracts"], rows["stakeholders"], rows["interactions"]
        )
        raised = []
        for flag, (on, off) in flags.items():
            if flag in want["flags"]:
                raised.append(flag)
                if not on:
                    problems.append(f"{name}: designed flag {flag} is not raised every way")
            elif not off:
                problems.append(f"{name}: flag {flag} is raised but not designed")
        for r in rows["interactions"]:
            if r["occurred_on"] > -1 or r["occurred_on"] in QUIET_EDGE:
                problems.append(f"{name}: interaction on day {r['occurred_on']}")
        if report is not None:
            share = main["customer_share"]
            report.append(
                f"{name[:30]:30} {seg:13} {'near' if main['near'] else 'far ':4} "
                f"pts {main['points']:5.1f} T {main['target']:4.2f} B {b:4.2f} "
                f"{main['band']:13} cust {share[0]:.0%}/{share[1]:.0%} {','.join(raised)}"
            )
    return problems


def campaign_statuses(data: dict[str, Any], offset: int = 0) -> dict[str, dict[str, list[str]]]:
    """Each contract's milestones by status ("M1#3" is the fourth value review), as the app
    shows them when the sample is loaded ``offset`` days after :data:`NOMINAL_DAY`."""
    from datetime import timedelta

    tables = data["tables"]
    segment = {d["account_id"]: d["segment"] for d in data["design"]}
    done: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in tables["milestones"]:
        done[r["contract_id"]].append(r)
    day = _nominal_day() + timedelta(days=offset)
    out: dict[str, dict[str, list[str]]] = {}
    for row in tables["contracts"]:
        camp = _campaign_of(row, segment[row["account_id"]], day, done[row["id"]])
        by: dict[str, list[str]] = defaultdict(list)
        for x in camp.milestones:
            by[x.status].append(x.code + (f"#{x.occurrence}" if x.code == "M1" else ""))
        out[row["reference"]] = dict(by)
    return out


def campaign_problems(data: dict[str, Any]) -> list[str]:
    """The campaign state against its design: every contract states when tracking began,
    exactly the :data:`LATE` milestones are overdue, on any load day across two years."""
    problems = [
        f"{r['reference']}: no tracked_since"
        for r in data["tables"]["contracts"]
        if r.get("tracked_since") is None
    ]
    base = campaign_statuses(data)
    want = set()
    for ref, code, occ in LATE:
        if occ < 0:
            past = [
                x
                for status in ("done", "overdue", "before_tracking")
                for x in base[ref].get(status, [])
                if x.startswith("M1#")
            ]
            past.sort(key=lambda x: int(x[3:]))
            want.add(f"{ref} {past[occ] if len(past) >= -occ else 'M1 (too few reviews)'}")
        else:
            want.add(f"{ref} {code}" + (f"#{occ}" if code == "M1" else ""))
    for offset in range(-365, 366, 29):
        got = {
            f"{ref} {x}"
            for ref, statuses in campaign_statuses(data, offset).items()
            for x in statuses.get("overdue", [])
        }
        if got != want:
            problems.append(
                f"loaded {offset:+d} days from {NOMINAL_DAY}: overdue "
                f"{sorted(got - want)} not designed, {sorted(want - got)} designed but not"
            )
            break
    return problems


def main(argv: list[str] | None = None) -> int:
    """Build, check and write the sample; print a summary. Returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        target = Path(args[0]) if args else source_path(*OUTPUT)
    except NotASourceTreeError as exc:
        print(exc, file=sys.stderr)
        return 2
    data = build()
    report: list[str] = []
    problems = check(data, report) + campaign_problems(data)
    print("\n".join(report))
    if problems:
        print("\nThe sample does not match its design; nothing written:", file=sys.stderr)
        print("\n".join(f"  - {p}" for p in problems), file=sys.stderr)
        return 1
    target.write_text(render(data), encoding="utf-8")
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in data["tables"].items())
    print(f"\nWrote {target}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
