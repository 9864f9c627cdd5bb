"""Northwind Cloud's customer journey: stages, touchpoints, listening posts and personas.

The map deliberately has gaps for the coverage analysis to find:

* the ``discover`` stage has no listening post at all;
* ``sales_demo`` is a moment that matters without a listening post;
* the ``social`` and ``sms`` channels are used but never surveyed;
* NPS is asked right after a support ticket closes (a metric misfit);
* ``dashboard_builder`` is surveyed three times, after every session (survey fatigue).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

STAGES: tuple[tuple[str, str], ...] = (
    ("discover", "Discover"),
    ("evaluate", "Evaluate"),
    ("buy", "Buy"),
    ("onboard", "Onboard"),
    ("use", "Use"),
    ("support", "Get support"),
    ("renew", "Renew"),
)
"""Journey stages in order: (id, name)."""


@dataclass(frozen=True)
class Touchpoint:
    """One touchpoint of the journey, in the ``journey.yaml`` layout."""

    id: str
    name: str
    stage: str
    channels: tuple[str, ...]
    owner: str
    kind: str
    moment_that_matters: bool
    pain_points: tuple[str, ...] = ()
    typical_day: int | None = None


@dataclass(frozen=True)
class ListeningPost:
    """A survey question asked at a touchpoint, in the ``journey.yaml`` layout."""

    touchpoint: str
    metric: str
    trigger: str
    timing_days: int
    channel: str
    after_support_contact: bool = False


def _tp(id_: str, name: str, stage: str, channels: tuple[str, ...], owner: str, kind: str,
        mtm: bool = False, pains: tuple[str, ...] = ()) -> Touchpoint:
    return Touchpoint(id_, name, stage, channels, owner, kind, mtm, pains, TYPICAL_DAY.get(id_))


TYPICAL_DAY: dict[str, int] = {
    "website_visit": 0, "review_sites": 3, "product_webinar": 7, "sales_demo": 14,
    "free_trial": 21, "contract_signing": 40, "first_invoice": 45, "onboarding_kickoff": 55,
    "data_migration": 70, "admin_training": 85, "first_value": 95, "dashboard_builder": 110,
    "report_scheduler": 160, "integrations_hub": 180, "day_90_checkin": 200,
    "renewal_review": 320,
}
"""Days from first contact when customers usually reach a touchpoint (optional in
``journey.yaml``); support and alert touchpoints can happen any day, so they have none."""


TOUCHPOINTS: tuple[Touchpoint, ...] = (
    _tp("website_visit", "Website and pricing page", "discover", ("website",), "Marketing",
        "interaction", pains=("Pricing tiers are hard to compare",)),
    _tp("review_sites", "Peer review sites and social media", "discover", ("social", "website"),
        "Marketing", "interaction", pains=("Old complaints about outages rank high",)),
    _tp("product_webinar", "Product webinar", "discover", ("website", "email"), "Marketing",
        "interaction"),
    _tp("sales_demo", "Sales demo", "evaluate", ("in-person", "phone"), "Sales", "interaction",
        mtm=True, pains=("Demo environment differs from the real product",)),
    _tp("free_trial", "Free trial", "evaluate", ("website", "in-app"), "Product", "task",
        mtm=True, pains=("Sample data is missing, so the trial feels empty",)),
    _tp("contract_signing", "Order form and contract", "buy", ("email",), "Sales", "task",
        pains=("Security questionnaire delays signature",)),
    _tp("first_invoice", "First invoice", "buy", ("email",), "Finance", "task"),
    _tp("onboarding_kickoff", "Onboarding kickoff call", "onboard", ("phone", "email"),
        "Customer Success", "task", mtm=True,
        pains=("Unclear who does what in the first weeks",)),
    _tp("data_migration", "Data migration", "onboard", ("api", "email"),
        "Professional Services", "task", pains=("Import errors with large files",)),
    _tp("admin_training", "Administrator training", "onboard", ("in-person", "website"),
        "Customer Success", "interaction"),
    _tp("first_value", "First value milestone", "onboard", ("email",), "Customer Success",
        "relationship", mtm=True),
    _tp("dashboard_builder", "Dashboard builder", "use", ("in-app",), "Product", "product_use"),
    _tp("report_scheduler", "Report scheduler", "use", ("in-app", "email"), "Product",
        "product_use", pains=("Scheduled reports sometimes fail silently",)),
    _tp("integrations_hub", "Integrations hub", "use", ("in-app", "api"), "Product",
        "product_use", mtm=True, pains=("Sync jobs break after upstream changes",)),
    _tp("incident_alerts", "Service status alerts", "use", ("email", "sms"), "Engineering",
        "interaction", pains=("Alerts arrive after customers notice the outage",)),
    _tp("day_90_checkin", "90-day relationship check-in", "use", ("email",),
        "Customer Success", "relationship"),
    _tp("knowledge_base", "Help centre self-service", "support", ("website",), "Support",
        "task", pains=("Articles are out of date after releases",)),
    _tp("support_chat", "Support chat", "support", ("chat",), "Support", "interaction",
        mtm=True, pains=("Long queues at peak times",)),
    _tp("support_phone", "Phone support", "support", ("phone",), "Support", "interaction",
        mtm=True, pains=("Calls are transferred between teams",)),
    _tp("support_ticket", "Email support ticket", "support", ("email",), "Support",
        "interaction", pains=("Slow first reply",)),
    _tp("billing_enquiry", "Billing enquiry", "support", ("email", "phone"), "Finance",
        "interaction", pains=("Invoices do not match the order form",)),
    _tp("renewal_review", "Pre-renewal business review", "renew", ("in-person", "email"),
        "Account Management", "relationship", mtm=True,
        pains=("Price increase announced late",)),
)
"""All touchpoints, grouped by stage in journey order."""


def _lp(tp: str, metric: str, trigger: str, days: int, channel: str,
        after_support: bool = False) -> ListeningPost:
    return ListeningPost(tp, metric, trigger, days, channel, after_support)


LISTENING_POSTS: tuple[ListeningPost, ...] = (
    _lp("free_trial", "ces", "trial day 7", 7, "in-app"),
    _lp("contract_signing", "csat", "after the order form is signed", 1, "email"),
    _lp("onboarding_kickoff", "ces", "after onboarding completion", 0, "email"),
    _lp("data_migration", "ces", "after the import finishes", 0, "email"),
    _lp("admin_training", "csat", "after the training session", 0, "email"),
    _lp("first_value", "nps", "first value milestone reached", 30, "email"),
    _lp("dashboard_builder", "psat", "after every session", 0, "in-app"),
    _lp("dashboard_builder", "csat", "after every session", 0, "in-app"),
    _lp("dashboard_builder", "ces", "after every session", 0, "in-app"),
    _lp("report_scheduler", "psat", "after a report is scheduled", 0, "in-app"),
    _lp("integrations_hub", "psat", "after a connector is set up", 0, "in-app"),
    _lp("day_90_checkin", "nps", "90 days after go-live", 90, "email"),
    _lp("knowledge_base", "ces", "after reading an article", 0, "website"),
    _lp("support_chat", "csat", "chat closed", 0, "chat"),
    _lp("support_chat", "ces", "chat closed", 0, "chat"),
    _lp("support_phone", "csat", "call ended", 0, "email"),
    _lp("support_phone", "ces", "call ended", 0, "email"),
    _lp("support_ticket", "csat", "ticket closed", 0, "email"),
    _lp("support_ticket", "ces", "ticket closed", 0, "email"),
    _lp("support_ticket", "nps", "ticket closed", 0, "email", after_support=True),
    _lp("billing_enquiry", "csat", "enquiry closed", 1, "email"),
    _lp("renewal_review", "nps", "90 days before the renewal date", 0, "email"),
)
"""The client's listening posts (which metric is asked where and when)."""

PERSONAS: tuple[tuple[str, str], ...] = (
    ("Operations lead at an enterprise account",
     "Owns the rollout across several teams; judges the product on uptime and on how fast "
     "support escalates problems."),
    ("Mid-market team manager",
     "Buys for one department, builds the dashboards herself and wants integrations that just "
     "keep working."),
    ("Small-business owner",
     "Signed up after a trial, is price-sensitive and relies on self-service help rather than "
     "calling support."),
)
"""(name, description) of the personas on the journey map."""


def touchpoint(touchpoint_id: str) -> Touchpoint:
    """Return the touchpoint with this id.

    Examples
    --------
    >>> touchpoint("support_chat").owner
    'Support'
    """
    for item in TOUCHPOINTS:
        if item.id == touchpoint_id:
            return item
    raise KeyError(touchpoint_id)


def posts_for(metric_kinds: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Map each touchpoint to the metrics asked there, for the given metrics only.

    Examples
    --------
    >>> posts_for(("nps",))["renewal_review"]
    ('nps',)
    """
    out: dict[str, tuple[str, ...]] = {}
    for post in LISTENING_POSTS:
        if post.metric in metric_kinds:
            out[post.touchpoint] = out.get(post.touchpoint, ()) + (post.metric,)
    return out


def journey_document() -> dict:
    """Return the ``journey.yaml`` content as plain lists and dicts (in a fixed order).

    Examples
    --------
    >>> doc = journey_document()
    >>> (len(doc["stages"]), len(doc["touchpoints"]))
    (7, 22)
    """
    touchpoints = []
    for item in TOUCHPOINTS:
        row = asdict(item)
        row["channels"] = list(item.channels)
        row["pain_points"] = list(item.pain_points)
        if item.typical_day is None:
            del row["typical_day"]
        touchpoints.append(row)
    return {
        "stages": [{"id": sid, "name": name} for sid, name in STAGES],
        "touchpoints": touchpoints,
        "listening_posts": [asdict(post) for post in LISTENING_POSTS],
        "personas": [{"name": n, "description": d} for n, d in PERSONAS],
    }
