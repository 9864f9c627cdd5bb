"""Generate the seeded demo client: ``generate(out, seed, responses, name)``.

Same seed and arguments give byte-identical CSV and YAML files: every random draw comes
from ``numpy.random.Generator(PCG64(...))`` streams spawned from the seed, the calendar is
fixed (:data:`cxkit.demo.timeline.AS_OF`) and numbers are written with fixed formats.
Above :data:`PARQUET_THRESHOLD` responses the two survey exports are written as Parquet.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import cxkit
from cxkit.demo import cases as cases_mod
from cxkit.demo import comments, customers as customers_mod, intake, quality
from cxkit.demo.comment_templates import SENSITIVE
from cxkit.demo.engagement import SURVEY_FILES, engagement_document
from cxkit.demo.ids import numbered_ids, qualtrics_ids
from cxkit.demo.journey import journey_document
from cxkit.demo.operations import contacts_export
from cxkit.demo.qualtrics import header_rows, relationship_export
from cxkit.demo.relationship import RELATIONSHIP_SHARE, make_relationship
from cxkit.demo.timeline import AS_OF, Timeline, build_timeline
from cxkit.demo.transactional import make_transactional, transactional_export
from cxkit.demo.writers import (write_csv, write_csv_slices, write_parquet, write_qualtrics,
                                write_yaml)
from cxkit.errors import InputError

PARQUET_THRESHOLD = 200_000
"""Above this many responses the survey exports are Parquet files."""
SLICE_ROWS = 1_000_000
"""Rows per Parquet row group."""
MIN_RESPONSES = 100
_STREAMS = ("customers", "comments", "relationship", "transactional", "churn", "cases",
            "quality", "intake", "sensitive")


@dataclass(frozen=True)
class DemoData:
    """Everything the generator draws, before it is written."""

    timeline: Timeline
    customers: pd.DataFrame
    pool: comments.CommentPool
    relationship: pd.DataFrame
    transactional: pd.DataFrame
    contacts: pd.DataFrame
    cases: pd.DataFrame
    respondents: pd.DataFrame
    answers: pd.DataFrame
    previous_answers: pd.DataFrame


def generate(out: Path, seed: int = 7, responses: int = 20000,
             name: str = "Northwind Cloud") -> Path:
    """Write a complete fictional client folder for demos and tests.

    Parameters
    ----------
    out : Path
        The client folder to create or overwrite (e.g. ``client_data/demo``).
    seed : int
        Random seed; the same seed gives the same files.
    responses : int
        Total survey responses (about 40% relationship, 60% transactional).
    name : str
        The client's display name.

    Returns
    -------
    Path
        ``out``.

    Examples
    --------
    >>> generate(Path(tmp) / "demo", seed=1, responses=2000)  # doctest: +SKIP
    """
    _check_arguments(seed, responses, name)
    out = Path(out)
    data = build(seed, responses)
    parquet = responses > PARQUET_THRESHOLD
    write_yaml(out / "engagement.yaml", engagement_document(name, data.timeline, parquet),
               f"Demo engagement for the fictional client {name} (generated, seed {seed}).")
    write_yaml(out / "journey.yaml", journey_document(),
               "Customer journey of the demo client: stages, touchpoints, listening posts.")
    _write_intake(out, data)
    _write_surveys(out, data, seed, name, parquet)
    _write_operations(out, data, seed)
    return out


def build(seed: int, responses: int) -> DemoData:
    """Draw all demo tables in memory (see :class:`DemoData`)."""
    rng = dict(zip(_STREAMS, (np.random.Generator(np.random.PCG64(s))
                              for s in np.random.SeedSequence(seed).spawn(len(_STREAMS)))))
    timeline = build_timeline()
    customers = customers_mod.make_customers(rng["customers"],
                                             customers_mod.customer_count(responses))
    pool = comments.build_pool(rng["comments"])
    n_rel = int(round(RELATIONSHIP_SHARE * responses))
    rel = make_relationship(rng["relationship"], customers, timeline, n_rel, pool)
    trans, contacts = make_transactional(rng["transactional"], customers, timeline,
                                         responses - n_rel, pool)
    rel, trans, pool = _plant_sensitive(rng["sensitive"], rel, trans, pool)
    customers = _churn(rng["churn"], customers, rel)
    case_table = _cases(rng["cases"], rel, trans, customers, timeline, seed,
                        _width(trans, contacts))
    respondents = intake.make_respondents()
    frameworks = intake.load_frameworks(Path(cxkit.__file__).parent / "frameworks")
    return DemoData(
        timeline=timeline, customers=customers, pool=pool,
        relationship=quality.plant_relationship(rng["quality"], rel),
        transactional=quality.plant_transactional(rng["quality"], trans),
        contacts=contacts, cases=case_table, respondents=respondents,
        answers=intake.make_answers(rng["intake"], frameworks, respondents),
        previous_answers=intake.make_answers(rng["intake"], frameworks, respondents,
                                             previous=True),
    )


def _check_arguments(seed: int, responses: int, name: str) -> None:
    """Raise InputError for arguments the generator cannot work with."""
    if not isinstance(responses, (int, np.integer)) or responses < MIN_RESPONSES:
        raise InputError("too few responses for a demo client", column="responses",
                         found=str(responses),
                         expected=f"a whole number of at least {MIN_RESPONSES}")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("the seed must be a non-negative whole number", column="seed",
                         found=str(seed))
    if not str(name).strip():
        raise InputError("the client name is empty", column="name", found=repr(name),
                         hint="Pass e.g. --name 'Northwind Cloud'")


def _plant_sensitive(rng: np.random.Generator, rel: pd.DataFrame, trans: pd.DataFrame,
                     pool: comments.CommentPool):
    """Put half of the personal-data and markup comments in each survey (in place)."""
    half = len(SENSITIVE) // 2
    codes, pool = comments.plant_sensitive(rng, rel["comment"].to_numpy(), pool, SENSITIVE[:half])
    rel["comment"] = codes
    codes, pool = comments.plant_sensitive(rng, trans["comment"].to_numpy(), pool,
                                           SENSITIVE[half:])
    trans["comment"] = codes
    return rel, trans, pool


def _churn(rng: np.random.Generator, customers: pd.DataFrame, rel: pd.DataFrame) -> pd.DataFrame:
    """Churn each customer according to their latest NPS group."""
    group = customers_mod.latest_nps_group(
        len(customers), rel["customer_no"].to_numpy(),
        rel["recorded_at"].to_numpy().astype(np.int64), rel["nps"].to_numpy(dtype=float))
    return customers_mod.assign_churn(rng, customers, group)


def _width(trans: pd.DataFrame, contacts: pd.DataFrame) -> int:
    """Digits of numbered response and contact ids."""
    return max(7, len(str(max(len(trans), len(contacts)) + 10)))


def _cases(rng: np.random.Generator, rel: pd.DataFrame, trans: pd.DataFrame,
           customers: pd.DataFrame, timeline: Timeline, seed: int, width: int) -> pd.DataFrame:
    """Cases for detractors (NPS 0-6) and CSAT 1-2 in the last two quarters."""
    detractors = cases_mod.alerts(rel[rel["finished"]], "nps", 6, "nps", timeline, "recorded_at")
    detractors["response_id"] = qualtrics_ids(detractors["response_no"].to_numpy(), seed)
    unhappy = cases_mod.alerts(trans, "csat", 2, "csat", timeline, "submitted_at")
    unhappy["response_id"] = numbered_ids("TX-", unhappy["response_no"].to_numpy(), width)
    raised = pd.concat([detractors, unhappy], ignore_index=True)
    raised["customer_id"] = customers["customer_id"].to_numpy()[raised["customer_no"].to_numpy()]
    return cases_mod.make_cases(rng, raised, AS_OF)


def _write_intake(out: Path, data: DemoData) -> None:
    """intake/respondents.csv, answers.csv and previous_answers.csv."""
    write_csv(out / "intake" / "respondents.csv", data.respondents)
    if len(data.answers):
        write_csv(out / "intake" / "answers.csv", data.answers)
        write_csv(out / "intake" / "previous_answers.csv", data.previous_answers)


def _write_surveys(out: Path, data: DemoData, seed: int, name: str, parquet: bool) -> None:
    """Both survey exports, as CSV (Qualtrics layout and plain) or as Parquet."""
    for source in ("relationship", "transactional"):
        (out / SURVEY_FILES[(source, not parquet)]).unlink(missing_ok=True)
    width = _width(data.transactional, data.contacts)
    if parquet:
        write_parquet(out / SURVEY_FILES[("relationship", True)],
                      _slices(data.relationship, lambda f: relationship_export(
                          f, data.customers, data.pool, seed, text_dates=False)))
        write_parquet(out / SURVEY_FILES[("transactional", True)],
                      _slices(data.transactional, lambda f: transactional_export(
                          f, data.customers, data.pool, text_dates=False, width=width)))
        return
    bad = np.random.Generator(np.random.PCG64(seed))
    rel = relationship_export(data.relationship, data.customers, data.pool, seed, text_dates=True)
    rel = quality.plant_bad_date(bad, rel, "ResponseId", "RecordedDate",
                                 quality.BAD_DATE["relationship"])
    write_qualtrics(out / SURVEY_FILES[("relationship", False)], header_rows(name), rel)
    trans = transactional_export(data.transactional, data.customers, data.pool,
                                 text_dates=True, width=width)
    trans = quality.plant_bad_date(bad, trans, "response_id", "submitted_at",
                                   quality.BAD_DATE["transactional"])
    write_csv(out / SURVEY_FILES[("transactional", False)], trans)


def _slices(frame: pd.DataFrame, export) -> Iterator[pd.DataFrame]:
    """Export ``frame`` slice by slice (one Parquet row group or CSV chunk each)."""
    for start in range(0, len(frame), SLICE_ROWS):
        yield export(frame.iloc[start:start + SLICE_ROWS])


def _write_operations(out: Path, data: DemoData, seed: int) -> None:
    """operations/contacts.csv, customers.csv and cases.csv."""
    ids = data.customers["customer_id"].to_numpy()
    width = _width(data.transactional, data.contacts)
    write_csv_slices(out / "operations" / "contacts.csv",
                     _slices(data.contacts, lambda f: contacts_export(f, ids, width)))
    write_csv(out / "operations" / "customers.csv", customers_mod.customers_export(data.customers))
    write_csv(out / "operations" / "cases.csv", data.cases)
