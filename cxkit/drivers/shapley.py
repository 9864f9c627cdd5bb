"""Key-driver analysis: Shapley (general-dominance) decomposition of R².

Which survey attributes (ease, speed, knowledge, value, ...) matter most for the
outcome? Correlated attributes make regression coefficients unstable, so the share of
explained variance is split fairly instead: an attribute's importance is its average
gain in R² when it joins a model, averaged first over the other attributes already in
the model at each model size and then over the sizes. That is the Shapley value of the
R² game, also known as the general-dominance weight (Budescu 1993; Grömping 2007). The
importances add up to the full model's R² exactly.

The R² of every one of the 2**k attribute subsets comes from the correlation matrix
(R²(S) = r_yS' R_SS^-1 r_yS), solved in batches by subset size, so no model is refitted
and a 200-resample bootstrap over six attributes takes a fraction of a second.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from math import factorial

import numpy as np
import pandas as pd

from cxkit.drivers.html_table import result_html
from cxkit.drivers.labels import attribute_label, outcome_label
from cxkit.drivers.quadrants import FIX_FIRST, KEEP, LOWER_PRIORITY, MAINTAIN, classify_quadrants
from cxkit.errors import InputError
from cxkit.report.wording import listed

MAX_PREDICTORS = 15
_TOLERANCE = 1e-9


def shapley_r2(X: pd.DataFrame, y: pd.Series) -> pd.Series:
    """Split the OLS R² of ``y`` on ``X`` into one fair share per predictor.

    Parameters
    ----------
    X : DataFrame
        Numeric predictors (k between 1 and 15). Rows with a missing value in ``X`` or
        ``y`` are left out.
    y : Series
        The outcome, aligned with ``X`` by index.

    Returns
    -------
    Series
        Shapley / general-dominance share of R² per column of ``X`` (name
        ``"r2_share"``); the shares sum to the full model's R² (checked to 1e-9).

    Raises
    ------
    InputError
        If there are too few complete rows, too many predictors or ``y`` is constant.

    Examples
    --------
    >>> X = pd.DataFrame({"a": [1, 2, 3, 4, 5.0], "b": [2, 1, 4, 3, 5.0]})
    >>> y = pd.Series([1, 3, 2, 5, 4.0])
    >>> shares = shapley_r2(X, y)
    >>> round(float(shares.sum()), 6)   # the full-model R² of y on a and b
    0.961111
    """
    data = _complete_matrix(X, y)
    corr = _correlation(data)
    if corr is None:
        raise InputError("The outcome has the same value in every response, so nothing can "
                         "explain it", column=str(y.name), expected="varying scores")
    r2 = subset_r2(corr)
    shares = shapley_from_subsets(r2, X.shape[1])
    if abs(shares.sum() - r2[-1]) > _TOLERANCE:
        raise RuntimeError("Shapley shares do not add up to R²; the decomposition is broken")
    return pd.Series(shares, index=X.columns, name="r2_share")


def subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of the outcome on every subset of predictors, from a correlation matrix.

    Parameters
    ----------
    corr : ndarray, shape (k + 1, k + 1)
        Correlations of the k predictors followed by the outcome (last row/column).

    Returns
    -------
    ndarray, shape (2**k,)
        ``r2[mask]`` is the R² of the model with the predictors whose bits are set in
        ``mask`` (bit j = predictor j); ``r2[0] == 0``.

    Examples
    --------
    >>> corr = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.3], [0.6, 0.3, 1.0]])
    >>> subset_r2(corr).round(2).tolist()   # uncorrelated predictors: R² adds up
    [0.0, 0.36, 0.09, 0.45]
    """
    k = corr.shape[0] - 1
    r2 = np.zeros(2 ** k)
    r_xx, r_xy = corr[:k, :k], corr[:k, k]
    for masks, idx in _subsets_by_size(k):
        blocks = r_xx[idx[:, :, None], idx[:, None, :]]
        rhs = r_xy[idx][:, :, None]
        try:
            beta = np.linalg.solve(blocks, rhs)
        except np.linalg.LinAlgError:
            beta = np.linalg.pinv(blocks) @ rhs
        r2[masks] = (rhs * beta).sum(axis=(1, 2))
    return r2


def shapley_from_subsets(r2: np.ndarray, k: int) -> np.ndarray:
    """Shapley values of the R² game given the R² of every subset.

    Parameters
    ----------
    r2 : ndarray, shape (2**k,)
        Subset R² indexed by bit mask, as from :func:`subset_r2`.
    k : int
        Number of predictors.

    Returns
    -------
    ndarray, shape (k,)
        share_j = sum over subsets S without j of |S|! (k-|S|-1)! / k! x
        (R²(S + j) - R²(S)).

    Examples
    --------
    >>> shapley_from_subsets(np.array([0.0, 0.36, 0.09, 0.45]), 2).round(2).tolist()
    [0.36, 0.09]
    """
    shares = np.empty(k)
    for j, (without, weights) in enumerate(_marginal_layout(k)):
        shares[j] = weights @ (r2[without | (1 << j)] - r2[without])
    return shares


@lru_cache(maxsize=None)
def _subsets_by_size(k: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    masks = np.arange(2 ** k)
    bits = (masks[:, None] >> np.arange(k)) & 1
    sizes = bits.sum(axis=1)
    layout = []
    for size in range(1, k + 1):
        chosen = masks[sizes == size]
        idx = np.nonzero(bits[chosen])[1].reshape(len(chosen), size)
        layout.append((chosen, idx))
    return tuple(layout)


@lru_cache(maxsize=None)
def _marginal_layout(k: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    masks = np.arange(2 ** k)
    sizes = ((masks[:, None] >> np.arange(k)) & 1).sum(axis=1)
    weight = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    layout = []
    for j in range(k):
        without = masks[((masks >> j) & 1) == 0]
        layout.append((without, weight[sizes[without]]))
    return tuple(layout)


def _complete_matrix(X: pd.DataFrame, y: pd.Series) -> np.ndarray:
    k = X.shape[1]
    if not 1 <= k <= MAX_PREDICTORS:
        raise InputError("Key-driver analysis needs between 1 and 15 attributes",
                         found=str(k), expected=f"1 to {MAX_PREDICTORS} attributes")
    frame = X.apply(pd.to_numeric, errors="coerce").assign(_y=pd.to_numeric(y, errors="coerce"))
    data = frame.dropna().to_numpy(dtype=float)
    if len(data) < k + 2:
        raise InputError("Too few complete responses for a key-driver analysis",
                         found=f"{len(data)} complete rows", expected=f"at least {k + 2}")
    return data


def _correlation(data: np.ndarray) -> np.ndarray | None:
    """Correlation matrix; constant predictors get zero correlation, a constant y None."""
    sd = data.std(axis=0)
    if sd[-1] == 0:
        return None
    centred = data - data.mean(axis=0)
    scaled = np.divide(centred, sd, out=np.zeros_like(centred), where=sd > 0)
    corr = scaled.T @ scaled / len(data)
    np.fill_diagonal(corr, 1.0)
    return corr


def _bootstrap_shares(data: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """Shapley shares for ``n_boot`` resamples of the rows (NaN row if y is constant)."""
    rng = np.random.default_rng(seed)
    k = data.shape[1] - 1
    out = np.full((n_boot, k), np.nan)
    for b in range(n_boot):
        corr = _correlation(data[rng.integers(0, len(data), len(data))])
        if corr is not None:
            out[b] = shapley_from_subsets(subset_r2(corr), k)
    return out


@dataclass(frozen=True)
class KeyDriversResult:
    """Relative importance and performance of survey attributes for one outcome.

    Attributes
    ----------
    outcome : str
        The outcome column (``"nps"``, ``"csat"``, ...).
    status : str
        ``"ok"`` or ``"insufficient data"``.
    n : int
        Complete responses used.
    r_squared : float
        R² of the outcome on all attributes (NaN when not computed).
    table : DataFrame
        One row per attribute, most important first: ``attribute`` (column name),
        ``label``, ``importance`` (share of R²), ``importance_pct`` (% of R²),
        ``ci_low``/``ci_high`` and ``pct_ci_low``/``pct_ci_high`` (bootstrap 95%
        percentile intervals), ``mean_rating``, ``top2_pct``, ``quadrant``, ``rank``.
    importance_cut, performance_cut : float
        The median cut lines of the quadrant chart (performance = mean rating).
    n_boot : int
        Bootstrap resamples used.
    notes : list of str
        Caveats (e.g. an unknown attribute scale).
    """

    outcome: str
    status: str
    n: int
    r_squared: float
    table: pd.DataFrame
    importance_cut: float = float("nan")
    performance_cut: float = float("nan")
    n_boot: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Plain-language findings: what to fix first, keep, and leave for later.

        Returns
        -------
        list of str
        """
        name = outcome_label(self.outcome)
        if self.status != "ok":
            return [f"Only {self.n:,} complete responses carry {name} and all attribute "
                    "ratings; a key-driver analysis needs at least 30."] + self.notes
        sentences = [
            f"Together the {len(self.table)} attributes explain {self.r_squared:.0%} of the "
            f"differences in {name} between respondents (R² = {self.r_squared:.2f}, "
            f"n = {self.n:,}).",
            _top_sentence(self.table.iloc[0]),
        ]
        sentences += [s for s in (_quadrant_sentence(self.table, q, name)
                                  for q in (FIX_FIRST, KEEP, MAINTAIN, LOWER_PRIORITY)) if s]
        return sentences + self.notes

    def _repr_html_(self) -> str:
        shown = self.table[["rank", "label", "importance_pct", "pct_ci_low", "pct_ci_high",
                            "mean_rating", "top2_pct", "quadrant"]] if len(self.table) else None
        if shown is not None:
            shown = shown.rename(columns={"label": "attribute", "importance_pct": "% of R²",
                                          "pct_ci_low": "95% low", "pct_ci_high": "95% high",
                                          "mean_rating": "mean", "top2_pct": "top-2-box %"})
        return result_html(f"Key drivers of {outcome_label(self.outcome)}", self.summary(), shown)


def key_drivers(wide: pd.DataFrame, outcome: str = "nps", attributes: Sequence[str] | None = None,
                n_boot: int = 200, seed: int = 0,
                attribute_scale: tuple[int, int] | None = None,
                min_rows: int = 30) -> KeyDriversResult:
    """Rank survey attributes by their share of the outcome's explained variance.

    Parameters
    ----------
    wide : DataFrame
        One row per response (see :func:`cxkit.drivers.wide.wide_scores`).
    outcome : str, default "nps"
        The outcome column (likelihood-to-recommend score or overall satisfaction).
    attributes : sequence of str, optional
        Attribute columns, with or without the ``attr_`` prefix; default all ``attr_*``.
    n_boot : int, default 200
        Bootstrap resamples for the 95% percentile intervals (0 for none).
    seed : int, default 0
        Seed of the resampling, so reruns give the same intervals.
    attribute_scale : (int, int), optional
        Scale of the attribute ratings for the top-2-box %; default from
        ``wide.attrs["scales"]``. If unknown, ``top2_pct`` is left empty (never guessed).
    min_rows : int, default 30
        Fewer complete responses give an ``"insufficient data"`` result.

    Returns
    -------
    KeyDriversResult

    Raises
    ------
    InputError
        If the outcome or an attribute column is missing, or the outcome is constant.
    """
    columns = _attribute_columns(wide, attributes)
    if outcome not in wide.columns:
        raise InputError("The outcome is not among the survey scores", column=outcome,
                         expected="a metric column such as nps or csat",
                         found=", ".join(map(str, wide.columns)))
    data = wide[columns + [outcome]].apply(pd.to_numeric, errors="coerce").dropna()
    if len(data) < max(min_rows, len(columns) + 2):
        return _insufficient(outcome, len(data), columns)
    shares = shapley_r2(data[columns], data[outcome])
    r_squared = float(shares.sum())
    boot = _bootstrap_shares(data.to_numpy(dtype=float), n_boot, seed) if n_boot else None
    scale_max = _scale_max(wide, columns, attribute_scale)
    table = _attribute_table(data[columns], shares, r_squared, boot, scale_max)
    quadrants = classify_quadrants(table["importance"], table["mean_rating"])
    table = _ranked(table.join(quadrants["quadrant"]))
    return KeyDriversResult(outcome, "ok", len(data), r_squared, table,
                            float(quadrants["importance_cut"].iloc[0]),
                            float(quadrants["performance_cut"].iloc[0]), n_boot,
                            _notes(scale_max, boot))


def _attribute_columns(wide: pd.DataFrame, attributes: Sequence[str] | None) -> list[str]:
    if attributes is None:
        found = [c for c in wide.columns if str(c).startswith("attr_")]
        if not found:
            raise InputError("The survey has no attribute ratings (attr_* columns)",
                             expected="attributes declared in engagement.yaml",
                             hint="Declare them under surveys -> attributes.")
        return found
    columns = []
    for name in attributes:
        column = name if name in wide.columns else f"attr_{name}"
        if column not in wide.columns:
            raise InputError("An attribute is not among the survey scores", column=name,
                             found=", ".join(map(str, wide.columns)),
                             expected="an attribute declared in engagement.yaml")
        columns.append(column)
    return columns


def _scale_max(wide: pd.DataFrame, columns: list[str],
               attribute_scale: tuple[int, int] | None) -> dict[str, float | None]:
    if attribute_scale is not None:
        return {c: float(attribute_scale[1]) for c in columns}
    scales = wide.attrs.get("scales", {})
    return {c: float(scales[c][1]) if c in scales else None for c in columns}


def _attribute_table(ratings: pd.DataFrame, shares: pd.Series, r_squared: float,
                     boot: np.ndarray | None, scale_max: dict[str, float | None]) -> pd.DataFrame:
    table = pd.DataFrame({"attribute": shares.index,
                          "label": [attribute_label(c) for c in shares.index],
                          "importance": shares.to_numpy()}, index=shares.index)
    table["importance_pct"] = 100 * table["importance"] / r_squared if r_squared > 0 else np.nan
    table = table.join(_intervals(boot, shares.index))
    table["mean_rating"] = ratings.mean()
    table["top2_pct"] = [_top2(ratings[c], scale_max[c]) for c in shares.index]
    return table


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    table = table.sort_values("importance", ascending=False, kind="stable")
    return table.assign(rank=np.arange(1, len(table) + 1)).reset_index(drop=True)


def _notes(scale_max: dict[str, float | None], boot: np.ndarray | None) -> list[str]:
    notes = []
    if any(v is None for v in scale_max.values()):
        notes.append("The attribute scale was not declared, so top-2-box shares are not shown.")
    if boot is not None and np.isnan(boot).all(axis=1).any():
        notes.append("Some bootstrap resamples had a constant outcome and were skipped.")
    return notes


def _intervals(boot: np.ndarray | None, index: pd.Index) -> pd.DataFrame:
    if boot is None:
        return pd.DataFrame(np.nan, index=index,
                            columns=["ci_low", "ci_high", "pct_ci_low", "pct_ci_high"])
    low, high = np.nanpercentile(boot, [2.5, 97.5], axis=0)
    pct = 100 * boot / boot.sum(axis=1, keepdims=True)
    pct_low, pct_high = np.nanpercentile(pct, [2.5, 97.5], axis=0)
    return pd.DataFrame({"ci_low": low, "ci_high": high, "pct_ci_low": pct_low,
                         "pct_ci_high": pct_high}, index=index)


def _top2(ratings: pd.Series, scale_max: float | None) -> float:
    if scale_max is None:
        return float("nan")
    return float(100 * (ratings >= scale_max - 1).mean())


def _insufficient(outcome: str, n: int, columns: list[str]) -> KeyDriversResult:
    empty = pd.DataFrame(columns=["attribute", "label", "importance", "importance_pct", "ci_low",
                                  "ci_high", "pct_ci_low", "pct_ci_high", "mean_rating",
                                  "top2_pct", "quadrant", "rank"])
    return KeyDriversResult(outcome, "insufficient data", n, float("nan"), empty)


def _names(rows: pd.DataFrame) -> str:
    return listed(rows["label"].tolist())


def _top_sentence(row: pd.Series) -> str:
    text = (f"The strongest driver is {row['label']}, with {row['importance_pct']:.0f}% of "
            "the explained variation")
    if not np.isnan(row["pct_ci_low"]):
        text += f" (95% interval {row['pct_ci_low']:.0f}% to {row['pct_ci_high']:.0f}%)"
    return text + "."


def _quadrant_sentence(table: pd.DataFrame, quadrant: str, name: str) -> str | None:
    rows = table[table["quadrant"] == quadrant]
    if rows.empty:
        return "No attribute is both important and rated low: nothing stands out to fix first." \
            if quadrant == FIX_FIRST else None
    share = rows["importance_pct"].sum()
    plural = len(rows) > 1
    they, carry, are, matter = (("they", "carry", "are", "matter") if plural
                                else ("it", "carries", "is", "matters"))
    reasons = {
        FIX_FIRST: f"{they} {carry} {share:.0f}% of what explains {name} but {are} rated "
                   "below the other attributes",
        KEEP: f"important ({share:.0f}% of the explained variation) and already rated well",
        MAINTAIN: f"rated well but {matter} less for {name}; watch that {they} do not slip"
                  if plural else f"rated well but {matter} less for {name}; watch that it "
                  "does not slip",
        LOWER_PRIORITY: f"rated low but {matter} little for {name}",
    }
    return f"{quadrant.capitalize()}: {_names(rows)} - {reasons[quadrant]}."
