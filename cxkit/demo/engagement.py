"""The demo's ``engagement.yaml``: client, period, survey sources and their column mapping."""
from __future__ import annotations

from cxkit.demo.relationship import ATTRIBUTES
from cxkit.demo.timeline import Timeline
from cxkit.demo.writers import DATE_FORMAT

SURVEY_FILES = {
    ("relationship", False): "surveys/relationship_qualtrics.csv",
    ("transactional", False): "surveys/transactional.csv",
    ("relationship", True): "surveys/relationship.parquet",
    ("transactional", True): "surveys/transactional.parquet",
}
"""Survey file per (source id, written as Parquet)."""


def engagement_document(client: str, timeline: Timeline, parquet: bool) -> dict:
    """Return the ``engagement.yaml`` content for the demo client.

    Parameters
    ----------
    client : str
        Display name of the client.
    timeline : Timeline
        The reporting period.
    parquet : bool
        Whether the survey exports were written as Parquet (large demos).

    Examples
    --------
    >>> from cxkit.demo.timeline import build_timeline
    >>> doc = engagement_document("Acme", build_timeline(), parquet=False)
    >>> [s["format"] for s in doc["surveys"]]
    ['qualtrics', 'csv']
    """
    return {
        "client": client,
        "engagement_title": "Customer experience maturity and baseline",
        "consultant_firm": "Meridian CX Advisory",
        "industry": "B2B software",
        "currency": "EUR",
        "framework": "nine_element",
        "period": {"start": timeline.start, "end": timeline.end},
        "brand_colour": "#1f5f8b",
        "logo": None,
        "sample": {"warn_below": 30, "withhold_below": 10},
        "surveys": [_relationship(parquet), _transactional(parquet)],
        "operations": {"contacts": "operations/contacts.csv",
                       "customers": "operations/customers.csv",
                       "cases": "operations/cases.csv", "join_window_days": 7},
        "goals": {"hold_threshold": {"nps": 60, "csat": 90, "ces": 85, "psat": 90},
                  "percent_of_opportunity": 10, "goal_date": None, "targets": {}},
        "roi": {"programme_cost": 250000, "horizon_years": 3},
    }


def _source(source_id: str, parquet: bool, layout: str) -> dict:
    """Fields shared by both sources."""
    return {
        "id": source_id,
        "file": SURVEY_FILES[(source_id, parquet)],
        "format": "parquet" if parquet else layout,
        "encoding": "utf-8",
        "delimiter": None if parquet else ",",
        "sheet": None,
        "date_format": DATE_FORMAT,
    }


def _relationship(parquet: bool) -> dict:
    """The Qualtrics relationship survey (NPS and attribute ratings)."""
    return {
        **_source("relationship", parquet, "qualtrics"),
        "columns": {"response_id": "ResponseId", "date": "RecordedDate",
                    "customer_id": "ExternalReference", "contact_id": None,
                    "touchpoint": "Touchpoint", "channel": "Channel", "segment": "Segment",
                    "region": "Region", "comment": "Q_NPS_WHY"},
        "finished": {"column": "Finished", "keep": ["1", "True"]},
        "status": {"column": "Status", "exclude": ["Survey Preview", "Spam"]},
        "metrics": {"nps": {"column": "Q_NPS", "min": 0, "max": 10}},
        "attributes": {name: f"Q_ATTR_{k}" for k, name in enumerate(ATTRIBUTES, start=1)},
        "attribute_scale": {"min": 1, "max": 5},
    }


def _transactional(parquet: bool) -> dict:
    """The plain-CSV transactional survey (CSAT, CES, PSAT)."""
    names = ("response_id", "customer_id", "contact_id", "touchpoint", "channel", "segment",
             "region", "comment")
    columns = {name: name for name in names}
    columns["date"] = "submitted_at"
    order = ("response_id", "date", "customer_id", "contact_id", "touchpoint", "channel",
             "segment", "region", "comment")
    return {
        **_source("transactional", parquet, "csv"),
        "columns": {key: columns[key] for key in order},
        "metrics": {"csat": {"column": "csat", "min": 1, "max": 5},
                    "ces": {"column": "ces", "min": 1, "max": 7, "reversed": False},
                    "psat": {"column": "psat", "min": 1, "max": 5}},
    }
