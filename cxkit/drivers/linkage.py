"""How operational measures move CSAT and effort: regression on joined contacts.

Two models per outcome, both on the responses that could be linked to a contact:

* **Scale points** - OLS of the score (e.g. CSAT 1-5, CES 1-7) on the drivers with
  HC3 heteroskedasticity-robust standard errors (ratings on a bounded scale rarely have
  constant variance). The coefficient is the change in the mean score per unit.
* **Top-2-box share** - a logistic regression of "answered in the top two boxes"
  (4-5 of 5, 6-7 of 7) on the same drivers, summarised as *average marginal effects*
  (statsmodels ``Logit.get_margeff(at="overall")``) with HC0-robust errors, times 100:
  the change in the satisfied / easy share, in percentage points per unit.

Units are chosen to read well: minutes are taken per 10 minutes, transfers and reopens
per extra one. Drivers are ranked by their standardised effect (coefficient x SD of the
driver / SD of the score), which compares drivers measured in different units.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxkit.drivers.html_table import result_html
from cxkit.drivers.join import JoinResult
from cxkit.drivers.labels import outcome_label, top_box_label
from cxkit.errors import InputError

DEFAULT_DRIVERS: tuple[str, ...] = ("wait_minutes", "transfers", "reopens", "handle_minutes")
MIN_ROWS = 30
INSUFFICIENT = "insufficient data"
EFFECT_COLUMNS: tuple[str, ...] = (
    "driver", "unit", "coefficient", "ci_low", "ci_high", "p_value", "pp_effect", "pp_ci_low",
    "pp_ci_high", "pp_p_value", "standardised_effect", "rank", "sentence",
)


@dataclass(frozen=True)
class DriverUnit:
    """How one driver is scaled and named in sentences."""

    per: float
    unit: str
    subject: str


_UNITS = {
    "wait_minutes": DriverUnit(10, "per 10 minutes of waiting",
                               "Every 10 extra minutes of waiting"),
    "handle_minutes": DriverUnit(10, "per 10 minutes of handle time",
                                 "Every 10 extra minutes of handle time"),
    "transfers": DriverUnit(1, "per extra transfer", "Each extra transfer"),
    "reopens": DriverUnit(1, "per extra reopen", "Each extra reopen"),
    "resolved_first_contact": DriverUnit(1, "if resolved at first contact",
                                         "Resolving the issue at first contact"),
}


def driver_unit(driver: str) -> DriverUnit:
    """Return the scaling and wording of a driver.

    Parameters
    ----------
    driver : str
        A contacts column.

    Returns
    -------
    DriverUnit
        Known drivers have tailored units; others are taken per one unit.

    Examples
    --------
    >>> driver_unit("wait_minutes").per
    10
    """
    name = driver.replace("_", " ")
    return _UNITS.get(driver, DriverUnit(1, f"per unit of {name}", f"Each extra unit of {name}"))


@dataclass(frozen=True)
class EffectsResult:
    """Effects of operational drivers on one survey outcome.

    Attributes
    ----------
    outcome : str
        The score column (``"csat"``, ``"ces"``, ...).
    status : str
        ``"ok"`` or ``"insufficient data"`` (fewer than 30 usable rows: no regression).
    n : int
        Responses with the outcome and every driver (the rows modelled).
    effects : DataFrame
        One row per driver, ranked by standardised effect; columns in
        ``EFFECT_COLUMNS``. ``coefficient``/``ci_*`` in scale points per unit,
        ``pp_*`` in percentage points of the top-2-box share per unit.
    r_squared : float
        R² of the OLS model (NaN when not fitted).
    scale : tuple of int or None
        The outcome's declared scale.
    joined_share : float or None
        Share of responses linked to a contact, when a JoinResult was given.
    notes : list of str
        Caveats met while fitting.
    """

    outcome: str
    status: str
    n: int
    effects: pd.DataFrame
    r_squared: float = float("nan")
    scale: tuple[int, int] | None = None
    joined_share: float | None = None
    notes: list[str] = field(default_factory=list)
    min_rows: int = MIN_ROWS

    def summary(self) -> list[str]:
        """Plain-language findings, strongest driver first.

        Returns
        -------
        list of str
        """
        name = outcome_label(self.outcome)
        linked = ("" if self.joined_share is None else
                  f" ({self.joined_share:.0%} of survey responses could be linked to a contact)")
        if self.status == INSUFFICIENT and self.n >= self.min_rows:
            return [f"None of the drivers varies across the {self.n:,} linked responses with "
                    f"{name}{linked}, so no effects are estimated."] + self.notes
        if self.status == INSUFFICIENT:
            return [f"Only {self.n:,} responses with {name} could be linked to complete contact "
                    f"records{linked}; at least {self.min_rows} are needed, so no effects are "
                    "estimated."] + self.notes
        head = f"Based on {self.n:,} responses with {name} and complete contact data{linked}."
        return [head] + self.effects["sentence"].tolist() + self.notes

    def _repr_html_(self) -> str:
        shown = None
        if len(self.effects):
            shown = self.effects[["rank", "driver", "unit", "coefficient", "ci_low", "ci_high",
                                  "p_value", "pp_effect", "pp_ci_low", "pp_ci_high"]].rename(
                columns={"coefficient": "points", "ci_low": "95% low", "ci_high": "95% high",
                         "pp_effect": "top-2-box pp", "pp_ci_low": "pp low",
                         "pp_ci_high": "pp high"})
        title = f"What moves {outcome_label(self.outcome)}"
        return result_html(title, self.summary(), shown)


def operational_effects(joined: JoinResult | pd.DataFrame, outcome: str = "csat",
                        drivers: Sequence[str] = DEFAULT_DRIVERS,
                        scale: tuple[int, int] | None = None,
                        min_rows: int = MIN_ROWS) -> EffectsResult:
    """Estimate how each operational driver moves a survey score.

    Parameters
    ----------
    joined : JoinResult or DataFrame
        Responses joined to contacts (:func:`cxkit.drivers.join.join_contacts`).
    outcome : str, default "csat"
        The score column to explain.
    drivers : sequence of str
        Contact measures to use as predictors.
    scale : (int, int), optional
        The outcome's scale; default ``frame.attrs["scales"][outcome]``.
    min_rows : int, default 30
        Below this many complete rows no regression is run.

    Returns
    -------
    EffectsResult

    Raises
    ------
    InputError
        If a column is missing or the outcome's scale is not known.
    """
    frame = joined.frame if isinstance(joined, JoinResult) else joined
    share = joined.joined_share if isinstance(joined, JoinResult) else None
    data = _model_rows(frame, outcome, list(drivers))
    if len(data) < min_rows:
        return _insufficient(outcome, len(data), share, min_rows)
    kept, notes = _varying(data, list(drivers))
    if not kept:
        return _insufficient(outcome, len(data), share, min_rows, notes)
    scale = _resolve_scale(frame, outcome, scale)
    X = pd.DataFrame({d: data[d] / driver_unit(d).per for d in kept})
    ols = _fit_ols(data[outcome], X)
    margins, logit_notes = _fit_margins(data[outcome] >= scale[1] - 1, X)
    effects = _effects_table(ols, margins, X, data[outcome], outcome)
    return EffectsResult(outcome, "ok", len(data), effects, float(ols.rsquared), scale, share,
                         notes + logit_notes)


def _model_rows(frame: pd.DataFrame, outcome: str, drivers: list[str]) -> pd.DataFrame:
    needed = [outcome] + drivers
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError("A column needed for the operational linkage is missing",
                         column=missing[0], expected=", ".join(needed),
                         hint="Join the contacts first with cxkit.drivers.join_contacts.")
    return frame[needed].apply(pd.to_numeric, errors="coerce").dropna().astype("float64")


def _varying(data: pd.DataFrame, drivers: list[str]) -> tuple[list[str], list[str]]:
    constant = [d for d in drivers if data[d].nunique() < 2]
    notes = [f"{d.replace('_', ' ').capitalize()} is the same on every linked contact, so its "
             "effect cannot be estimated." for d in constant]
    return [d for d in drivers if d not in constant], notes


def _resolve_scale(frame: pd.DataFrame, outcome: str,
                   scale: tuple[int, int] | None) -> tuple[int, int]:
    found = scale or frame.attrs.get("scales", {}).get(outcome)
    if found is None:
        raise InputError("The scale of the outcome is not known", column=outcome,
                         expected="a declared scale such as (1, 5)",
                         hint="Pass scale=(min, max) or build the table with wide_scores().")
    return int(found[0]), int(found[1])


def _fit_ols(y: pd.Series, X: pd.DataFrame):
    # statsmodels' submodules, not statsmodels.api: the same classes, 0.35 s less to import
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    return OLS(y, add_constant(X, has_constant="add")).fit(cov_type="HC3")


def _fit_margins(top: pd.Series, X: pd.DataFrame) -> tuple[pd.DataFrame | None, list[str]]:
    """Average marginal effects (percentage points) from a logit of the top-2 box."""
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning
    from statsmodels.tools.tools import add_constant

    if top.nunique() < 2:
        return None, ["Every linked response falls on the same side of the top two boxes, "
                      "so effects on the top-2-box share are not estimated."]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", PerfectSeparationWarning)
        try:
            fit = Logit(top.astype(float), add_constant(X, has_constant="add")).fit(
                disp=0, cov_type="HC0")
            margins = fit.get_margeff(at="overall", method="dydx")
        except (ConvergenceWarning, PerfectSeparationWarning, np.linalg.LinAlgError, ValueError):
            return None, ["The top-2-box model did not converge (a driver separates "
                          "satisfied from unsatisfied answers perfectly); only scale-point "
                          "effects are shown."]
    ci = margins.conf_int()
    return pd.DataFrame({"pp_effect": 100 * margins.margeff, "pp_ci_low": 100 * ci[:, 0],
                         "pp_ci_high": 100 * ci[:, 1], "pp_p_value": margins.pvalues},
                        index=X.columns), []


def _effects_table(ols, margins: pd.DataFrame | None, X: pd.DataFrame, y: pd.Series,
                   outcome: str) -> pd.DataFrame:
    ci = ols.conf_int()
    table = pd.DataFrame({
        "driver": X.columns, "unit": [driver_unit(d).unit for d in X.columns],
        "coefficient": ols.params[X.columns], "ci_low": ci.loc[X.columns, 0],
        "ci_high": ci.loc[X.columns, 1], "p_value": ols.pvalues[X.columns],
    }, index=X.columns)
    pp = margins if margins is not None else pd.DataFrame(
        np.nan, index=X.columns, columns=["pp_effect", "pp_ci_low", "pp_ci_high", "pp_p_value"])
    table = table.join(pp)
    table["standardised_effect"] = table["coefficient"] * X.std() / y.std()
    table = table.iloc[np.argsort(-table["standardised_effect"].abs().to_numpy(), kind="stable")]
    table["rank"] = np.arange(1, len(table) + 1)
    table["sentence"] = [effect_sentence(row, outcome) for _, row in table.iterrows()]
    return table.reset_index(drop=True)[list(EFFECT_COLUMNS)]


def effect_sentence(row: pd.Series, outcome: str) -> str:
    """Say one driver's effect in plain words, with its interval.

    Parameters
    ----------
    row : Series
        A row of ``EffectsResult.effects`` (``driver, coefficient, ci_low, ci_high,
        pp_effect``).
    outcome : str
        The outcome column.

    Returns
    -------
    str

    Examples
    --------
    >>> row = pd.Series({"driver": "transfers", "coefficient": -0.31, "ci_low": -0.35,
    ...                  "ci_high": -0.27, "pp_effect": -6.2})
    >>> print(effect_sentence(row, "csat"))  # doctest: +NORMALIZE_WHITESPACE
    Each extra transfer costs about 0.31 points of CSAT (95% CI 0.27 to 0.35) — about
    6 percentage points off the 'satisfied' share.
    """
    coef, low, high = row["coefficient"], row["ci_low"], row["ci_high"]
    subject = driver_unit(str(row["driver"])).subject
    if low <= 0 <= high:  # no direction to state (the top-box model may even lean the other way)
        about = f"{coef:+.2f}" if round(coef, 2) else "0.00"  # never "-0.00"
        return (f"{subject} makes no clear difference to {outcome_label(outcome)}: about {about} points "
                f"(95% CI {low:+.2f} to {high:+.2f}). The interval includes zero, so the data cannot tell "
                "this effect from none.")
    verb, sign = ("costs", -1.0) if coef < 0 else ("adds", 1.0)
    lo, hi = sorted((sign * low, sign * high))
    text = (f"{subject} {verb} about {abs(coef):.2f} points of "
            f"{outcome_label(outcome)} (95% CI {lo:.2f} to {hi:.2f})")
    pp = row.get("pp_effect", np.nan)
    if pd.notna(pp):
        direction = "off" if pp < 0 else "on"
        text += f" — {_percentage_points(pp)} {direction} the {top_box_label(outcome)}"
    return text + "."


def _percentage_points(pp: float) -> str:
    size = round(abs(pp))
    if size == 0:
        return "less than 1 percentage point"
    return f"about {size} percentage point{'s' if size > 1 else ''}"


def _insufficient(outcome: str, n: int, share: float | None, min_rows: int,
                  notes: list[str] | None = None) -> EffectsResult:
    empty = pd.DataFrame(columns=list(EFFECT_COLUMNS))
    return EffectsResult(outcome, INSUFFICIENT, n, empty, joined_share=share,
                         notes=notes or [], min_rows=min_rows)
