"""A logistic model of churn on the customer's latest NPS score, with declared controls."""
from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxkit.errors import InputError, closest
from cxkit.roi.linkage import GROUPS, check_churned, nps_group, require_columns


@dataclass(frozen=True)
class ChurnModel:
    """Fitted churn model.

    Attributes
    ----------
    odds_ratio_per_point : float
        Multiplicative change in the odds of churn per NPS point (0-10 scale).
    odds_ratio_ci : tuple of float
        Its 95 % interval.
    n : int
        Customers in the fit.
    controls : list of str
        Controls actually used (constant columns are dropped).
    predicted_by_group : DataFrame
        ``group, score, predicted_churn, ci_low, ci_high``: average predicted churn if every
        customer had that group's mean score (controls kept as they are), with its 95%
        interval formed on the log-odds scale (see :func:`log_odds_interval`).
    pseudo_r2 : float
        McFadden's pseudo R².
    """

    odds_ratio_per_point: float
    odds_ratio_ci: tuple[float, float]
    n: int
    controls: list[str]
    predicted_by_group: pd.DataFrame
    pseudo_r2: float
    result: object = field(repr=False, compare=False, default=None)
    columns: list[str] = field(repr=False, compare=False, default_factory=list)
    group_cov: np.ndarray | None = field(repr=False, compare=False, default=None)
    """Covariance of the groups' predicted churn on the log-odds scale (delta method): the
    three rates come from one fit, so their errors move together."""

    def draw_group_rates(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """``n`` joint draws of each group's predicted churn, ``churn_<group>`` keys.

        Drawn from a normal distribution on the log-odds scale with the fit's covariance
        (:attr:`group_cov`), so that a draw with high detractor churn tends to have high
        passive churn too, as the fit implies; each rate's own spread matches its interval
        in :attr:`predicted_by_group`.
        """
        from scipy.special import expit, logit

        rates = self.predicted_by_group.set_index("group").loc[list(GROUPS), "predicted_churn"].to_numpy(float)
        centre = logit(np.clip(rates, 1e-12, 1 - 1e-12))
        cov = self.group_cov if self.group_cov is not None else np.zeros((len(GROUPS), len(GROUPS)))
        draws = expit(rng.multivariate_normal(centre, cov, size=n, method="eigh"))
        return {f"churn_{g}": draws[:, i] for i, g in enumerate(GROUPS)}

    def predict(self, customers_with_nps: pd.DataFrame) -> pd.Series:
        """Predicted churn probability per customer (index kept)."""
        x = design_matrix(customers_with_nps, self.controls).reindex(columns=self.columns,
                                                                      fill_value=0.0)
        return pd.Series(self.result.predict(x), index=x.index, name="predicted_churn")

    @property
    def control_names(self) -> list[str]:
        """The controls as words (``tenure_years`` -> ``tenure years``)."""
        return [c.replace("_", " ") for c in self.controls]

    def describe(self) -> str:
        """The fitted model in one plain sentence (unescaped text)."""
        lo, hi = self.odds_ratio_ci
        controls = ", ".join(self.control_names) or "none"
        return (f"Odds of churn per extra point on the 0-10 recommendation question: "
                f"×{self.odds_ratio_per_point:.2f} (95% interval {lo:.2f}–{hi:.2f}); n = {self.n:,}; controls: {controls}; "
                f"pseudo R² {self.pseudo_r2:.2f}.")

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(str(r.group))}</td><td>{r.predicted_churn:.1%}</td>"
            f"<td>{r.ci_low:.1%} – {r.ci_high:.1%}</td></tr>"
            for r in self.predicted_by_group.itertuples())
        return (f"<div class='cx-model'><p>{html.escape(self.describe())}</p>"
                f"<table><tr><th>Group</th><th>Predicted churn</th><th>95% interval</th></tr>"
                f"{rows}</table></div>")


def modelled_churn(settings: Any, model: ChurnModel | None) -> list[str]:
    """The churn inputs (``churn_<group>``) taken from the churn model, not stated in the engagement."""
    if model is None:
        return []
    return [f"churn_{g}" for g in GROUPS if getattr(settings, f"churn_rate_{g}") is None]


def design_matrix(df: pd.DataFrame, controls: list[str]) -> pd.DataFrame:
    """Constant, ``nps_score`` and controls (categorical ones as 0/1 dummies, first dropped)."""
    parts = [pd.Series(1.0, index=df.index, name="const"),
             pd.to_numeric(df["nps_score"], errors="coerce").rename("nps_score")]
    for col in controls:
        values = df[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            parts.append(values.astype(float).rename(col))
        else:
            dummies = pd.get_dummies(values.astype(str), prefix=col, drop_first=True, dtype=float)
            parts.append(dummies)
    return pd.concat(parts, axis=1)


def _usable_controls(df: pd.DataFrame, controls: list[str]) -> list[str]:
    require_columns(df, list(controls), "customer table")
    return [c for c in controls if df[c].nunique(dropna=True) > 1]


def _fit(y: pd.Series, x: pd.DataFrame):
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            result = Logit(y, x).fit(disp=0, maxiter=200)
        except (PerfectSeparationWarning, np.linalg.LinAlgError, ValueError) as exc:
            raise InputError("the churn model cannot be fitted: the scores or controls separate "
                             "churners from stayers perfectly, or too few customers churned",
                             column="churned", hint="Use churn by NPS group, or fewer controls") from exc
    if not result.mle_retvals.get("converged", True):
        raise InputError("the churn model did not converge", column="churned",
                         hint="Use churn by NPS group, or fewer controls")
    return result


def log_odds_interval(p: float, se: float, level: float = 0.95) -> tuple[float, float]:
    """Interval of a probability ``p`` with standard error ``se``, formed on the log-odds scale.

    The delta-method interval ``p ± z·se`` (what statsmodels reports for an average
    prediction) leaves 0..1 when ``p`` is near a bound and the sample is small: a churn
    rate of -3%, say. Carrying the same standard error to the log-odds scale
    (``se / (p (1 - p))``, the delta method again) and transforming the interval back keeps
    it strictly inside 0..1; for large samples the two agree.

    Parameters
    ----------
    p : float
        The estimated probability.
    se : float
        Its standard error on the probability scale.
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(p, p)`` when ``p`` is exactly 0 or 1 or ``se`` is not finite.

    Examples
    --------
    >>> low, high = log_odds_interval(0.15, 0.09)
    >>> 0 < low < 0.15 < high < 1
    True
    >>> [round(v, 3) for v in log_odds_interval(0.5, 0.01)]  # large sample: p +/- 1.96 se
    [0.48, 0.52]
    """
    from scipy.special import expit, logit, ndtri

    if not (0.0 < p < 1.0) or not np.isfinite(se):
        return p, p
    half = float(ndtri(0.5 + level / 2)) * se / (p * (1.0 - p))
    centre = float(logit(p))
    return float(expit(centre - half)), float(expit(centre + half))


def _group_scores(df: pd.DataFrame) -> dict[str, float]:
    """Each group's mean latest score (a typical score where the group has no customer)."""
    out = {}
    for g in GROUPS:
        scores = df.loc[df["nps_group"].astype(str) == g, "nps_score"]
        out[g] = float(scores.mean()) if len(scores) else {"detractor": 4.0, "passive": 7.5, "promoter": 9.5}[g]
    return out


def _group_predictions(result, df: pd.DataFrame, x: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for g, score in _group_scores(df).items():
        pred = result.get_prediction(x.assign(nps_score=score), average=True)
        p, se = float(np.asarray(pred.predicted).ravel()[0]), float(np.asarray(pred.se).ravel()[0])
        rows.append((g, score, p, *log_odds_interval(p, se)))
    return pd.DataFrame(rows, columns=["group", "score", "predicted_churn", "ci_low", "ci_high"])


def group_covariance(result, df: pd.DataFrame, x: pd.DataFrame) -> np.ndarray:
    """Covariance of the groups' average predicted churn on the log-odds scale.

    Each group's average prediction ``p̄ = mean(expit(X_g b))`` has the gradient
    ``mean(p (1 - p) X_g)`` in the coefficients ``b``; with the fit's covariance ``V``
    the rates' covariance is ``G V Gᵀ`` (the delta method, as for each rate's own
    standard error), carried to the log-odds scale by ``1 / (p̄ (1 - p̄))``.
    """
    from scipy.special import expit

    params = np.asarray(result.params, dtype=float)
    gradients, scale = [], []
    for score in _group_scores(df).values():
        design = x.assign(nps_score=score).to_numpy(dtype=float)
        p = expit(design @ params)
        gradients.append((p * (1 - p)) @ design / len(design))
        mean = float(p.mean())
        scale.append(1.0 / (mean * (1.0 - mean)))
    g = np.asarray(gradients) * np.asarray(scale)[:, None]
    return g @ np.asarray(result.cov_params(), dtype=float) @ g.T


def check_controls(settings: Any, customers: pd.DataFrame | None) -> None:
    """Refuse a churn-model control the consultant named that the customer table lacks.

    The default controls are skipped when absent (they are optional columns), but a name
    written in ``roi.controls`` would otherwise vanish from the model unseen.

    Parameters
    ----------
    settings : RoiSettings
        The engagement's ``roi`` section.
    customers : DataFrame, optional
        The customer table (nothing to check without one).

    Raises
    ------
    InputError
        Naming the key, the control and the table's columns.
    """
    if customers is None or "controls" not in settings.model_fields_set:
        return
    columns = [c for c in customers.columns if c not in ("customer_id", "churned", "annual_value")]
    for position, control in enumerate(settings.controls):
        if control not in customers.columns:
            raise InputError("this churn-model control is not a column of operations/customers.csv",
                             file="engagement.yaml", column=f"roi.controls[{position}]", found=control,
                             expected="one of " + ", ".join(columns) if columns else "a column of the table",
                             hint=closest(control, columns) or None)


def churn_model(customers: pd.DataFrame, controls: list[str] | None = None) -> ChurnModel:
    """Fit ``churned ~ nps_score + controls`` by logistic regression.

    Parameters
    ----------
    customers : DataFrame
        Customer table with ``nps_score`` attached (see :func:`cxkit.roi.attach_nps`).
    controls : list of str, optional
        Control columns (default ``["segment", "tenure_years"]``); constant ones are dropped.

    Returns
    -------
    ChurnModel

    Raises
    ------
    InputError
        When a column is missing, nobody (or everybody) churned, or the fit fails.
    """
    controls = ["segment", "tenure_years"] if controls is None else list(controls)
    require_columns(customers, ["nps_score", "churned"], "customer table")
    df = customers.dropna(subset=["nps_score", *[c for c in controls if c in customers]]).copy()
    df["churned"] = check_churned(df)
    if df["churned"].nunique() < 2:
        state = "no customer" if df["churned"].sum() == 0 else "every customer"
        raise InputError(f"{state} in the table churned, so churn cannot be modelled",
                         column="churned", hint="Use the engagement's churn assumptions instead")
    if "nps_group" not in df.columns:
        df["nps_group"] = nps_group(df["nps_score"])
    used = _usable_controls(df, controls)
    x = design_matrix(df, used)
    result = _fit(df["churned"].astype(float), x)
    beta = float(result.params["nps_score"])
    lo, hi = (float(v) for v in result.conf_int().loc["nps_score"])
    return ChurnModel(
        odds_ratio_per_point=float(np.exp(beta)), odds_ratio_ci=(float(np.exp(lo)), float(np.exp(hi))),
        n=int(len(df)), controls=used, predicted_by_group=_group_predictions(result, df, x),
        pseudo_r2=float(result.prsquared), result=result, columns=list(x.columns),
        group_cov=group_covariance(result, df, x),
    )
