"""The DuckDB path of the metric engine, for survey files too large for pandas.

:class:`LargeSurvey` stands in for the tidy responses table: it knows each survey file
and its declaration (:class:`~cxkit.config.surveys.SurveySource`) and computes the same
*counts* as :mod:`cxkit.metrics.counts` with SQL over the file, then finalises them with
the very functions the pandas path uses (:mod:`cxkit.metrics.formulas`). The data-quality
rules of :mod:`cxkit.surveys.quality` are applied in SQL in the same order (empty row,
missing id, status, unfinished, identical duplicate, conflicting duplicate, bad date, outside
the reporting period; then per metric: unreadable, off-scale and between-points values
dropped), so figures match the pandas path.

Each source is cleaned once, on first use, into a compact DuckDB table (date, dimensions
and scores only); every later figure is one aggregate query over it.

Examples
--------
>>> survey = LargeSurvey.from_sources([(source, Path("surveys/relationship.parquet"))])  # doctest: +SKIP
>>> summarise(survey, "nps").display()                                                     # doctest: +SKIP
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit.config.engagement import Period
from cxkit.config.surveys import SurveySource
from cxkit.errors import InputError
from cxkit.metrics import formulas
from cxkit.metrics.compare import Comparison, compare_results
from cxkit.metrics.counts import NPS_COUNTS, TOP2_COUNTS
from cxkit.metrics.labels import metric_label
from cxkit.metrics.periods import check_freq, label_periods
from cxkit.metrics.result import MetricResult
from cxkit.metrics.sample import SampleRules
from cxkit.metrics.scales import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, NPS_SCALE, Scale
from cxkit.metrics.segments import as_list, order_results
from cxkit.metrics.selection import _check_metric_name, kind_of
from cxkit.surveys.mapping import ScoreSpec, score_specs
from cxkit.surveys.quality import period_bounds
from cxkit.surveys.scales import LEADING_NUMBER

LARGE_FILE_BYTES = 200 * 1024 * 1024
"""CSV survey files above this size are read through DuckDB rather than pandas (a CSV
holds no row count that could be read without parsing it)."""
LARGE_ROWS = 1_000_000
"""Parquet survey files with more rows than this are read through DuckDB rather than
pandas (the count is in the file's footer; compressed Parquet says little by its size)."""
DIMENSIONS = ("touchpoint", "channel", "segment", "region")


def is_large(path: Path, threshold: int = LARGE_FILE_BYTES, rows: int = LARGE_ROWS) -> bool:
    """True when a Parquet or CSV survey file is big enough for the DuckDB path.

    Parameters
    ----------
    path : Path
        The survey file.
    threshold : int
        Bytes above which a CSV file is large.
    rows : int
        Rows above which a Parquet file is large.

    Examples
    --------
    >>> is_large(Path("missing.parquet"))
    False
    """
    path = Path(path)
    if not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(path).metadata.num_rows > rows
        except Exception:  # noqa: BLE001 - not readable as Parquet: the reader reports it properly
            return False
    return suffix == ".csv" and path.stat().st_size > threshold


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _text(column: str) -> str:
    return f"coalesce(trim(CAST({_ident(column)} AS VARCHAR)), '')"


class LargeSurvey:
    """Survey files read by DuckDB, usable wherever the metric engine takes responses.

    Parameters
    ----------
    sources : sequence of (SurveySource, Path)
        Each declared source with the resolved path of its file (Parquet or CSV).
    memory_limit : str
        DuckDB memory cap (it spills to a temporary folder beyond it).
    period : Period, optional
        The engagement's reporting period: responses dated outside it are left out, as the
        pandas path leaves them out.
    """

    def __init__(self, sources: Sequence[tuple[SurveySource, Path]], memory_limit: str = "2GB",
                 period: Period | None = None) -> None:
        import duckdb

        self.sources = [(source, Path(path)) for source, path in sources]
        self.period = period
        self.con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": False})
        self.con.execute("SET enable_progress_bar = false")
        self._clean: dict[str, str] = {}

    @classmethod
    def from_sources(cls, sources: Sequence[tuple[SurveySource, Path]], **kwargs) -> "LargeSurvey":
        """Build from (source, path) pairs (see the class parameters)."""
        return cls(sources, **kwargs)

    def close(self) -> None:
        """Release the DuckDB connection and its tables."""
        self.con.close()

    # -- reading and cleaning -------------------------------------------------------------
    def _scan(self, source: SurveySource, path: Path) -> str:
        if source.format == "parquet" or path.suffix.lower() == ".parquet":
            return f"read_parquet({_literal(str(path))})"
        delim = f", delim={_literal(source.delimiter)}" if source.delimiter else ""
        return f"read_csv({_literal(str(path))}, all_varchar=true, header=true{delim})"

    def _columns(self, scan: str) -> dict[str, str]:
        rows = self.con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
        return {name: kind for name, kind, *_ in rows}

    def _kept_rows(self, source: SurveySource, scan: str, types: dict[str, str]) -> str:
        """SQL selecting the rows that survive the row-level quality rules."""
        used = list(dict.fromkeys(_declared(source)))
        missing = [c for c in used if c not in types]
        if missing:
            raise InputError("a declared column is not in the survey file", file=source.file,
                             column=missing[0], hint="Check columns: in engagement.yaml")
        blank = " AND ".join(_blank(c, types) for c in used)
        rid = _text(source.columns.response_id)
        rules = [f"NOT ({blank})", f"{rid} <> ''"]
        if source.status is not None:
            rules.append(f"NOT ({_in_values(source.status.column, source.status.exclude)})")
        if source.finished is not None:
            rules.append(_in_values(source.finished.column, source.finished.keep))
        cols = ", ".join(_ident(c) for c in used)
        return f"""
        WITH live AS (SELECT {cols}, {rid} AS _rid FROM {scan} WHERE {' AND '.join(rules)}),
        repeated AS (SELECT _rid FROM live GROUP BY _rid HAVING count(*) > 1),
        copies AS (SELECT DISTINCT * FROM live WHERE _rid IN (SELECT _rid FROM repeated)),
        clash AS (SELECT _rid FROM copies GROUP BY _rid HAVING count(*) > 1)
        SELECT * FROM live WHERE _rid NOT IN (SELECT _rid FROM repeated)
        UNION ALL SELECT * FROM copies WHERE _rid NOT IN (SELECT _rid FROM clash)"""

    def _table(self, source: SurveySource, path: Path) -> str:
        """Clean ``source`` in one pass into a cube of counts per dimension values and month.

        Every figure the engine needs (any metric, any subset of the dimensions, by month or
        quarter) is a sum over this small table, so the file is scanned and cleaned once.
        """
        if source.id in self._clean:
            return self._clean[source.id]
        scan = self._scan(source, path)
        types = self._columns(scan)
        date = _date_sql(source, types)
        mapped = source.columns.mapped()
        dims = [d for d in (*DIMENSIONS, *source.columns.extra_dimensions) if d in mapped]
        dim_sql = [f"nullif({_text(mapped[d])}, '') AS {_ident(d)}" for d in dims]
        specs = score_specs(source)
        scores = [f"{_score_sql(spec, types)} AS {_ident('s_' + spec.metric)}" for spec in specs]
        aggregates = [agg for spec in specs for agg in _cube_sql(spec)]
        keys = [*(_ident(d) for d in dims), "month"]
        name = f"cube_{len(self._clean)}"
        self.con.execute(f"""CREATE TEMP TABLE {name} AS
            SELECT {', '.join(keys)}, max(date) AS last_date, {', '.join(aggregates)}
            FROM (SELECT date, date_trunc('month', date) AS month, {', '.join([*dim_sql, *scores])}
                  FROM (SELECT {date} AS date, * FROM ({self._kept_rows(source, scan, types)}))
                  WHERE {self._dated()})
            GROUP BY {', '.join(keys)}""")
        self._clean[source.id] = name
        return name

    def _dated(self) -> str:
        """SQL true for a readable date inside the reporting period (when one is set)."""
        if self.period is None:
            return "date IS NOT NULL"
        start, after = period_bounds(self.period)
        return f"date >= TIMESTAMP '{start}' AND date < TIMESTAMP '{after}'"

    def latest_by_customer(self, metric: str, until: pd.Timestamp | None = None) -> pd.DataFrame:
        """Each customer's most recent scored answer to ``metric``, cleaned as for the cube.

        Parameters
        ----------
        metric : str
            The metric, e.g. ``nps``.
        until : Timestamp, optional
            Ignore answers after this moment.

        Returns
        -------
        DataFrame
            ``customer_id, date, score``, one row per customer (sources that map no
            customer id are left out).
        """
        parts = []
        for source, path, spec in self._specs(metric):
            customer = source.columns.mapped().get("customer_id")
            if customer is None:
                continue
            scan = self._scan(source, path)
            types = self._columns(scan)
            parts.append(f"SELECT {_text(customer)} AS customer_id, {_date_sql(source, types)} AS date, "
                         f"{_score_sql(spec, types)} AS score FROM ({self._kept_rows(source, scan, types)})")
        if not parts:
            return pd.DataFrame({"customer_id": pd.Series(dtype=str), "date": pd.Series(dtype="datetime64[ns]"),
                                 "score": pd.Series(dtype=float)})
        cutoff = "" if until is None else f" AND date <= {_literal(pd.Timestamp(until).isoformat())}::TIMESTAMP"
        return self.con.execute(f"""
            SELECT customer_id, max(date) AS date, arg_max(score, date) AS score
            FROM ({' UNION ALL '.join(parts)})
            WHERE score IS NOT NULL AND {self._dated()} AND customer_id <> ''{cutoff}
            GROUP BY customer_id""").df()

    # -- counts ---------------------------------------------------------------------------
    def _specs(self, metric: str) -> list[tuple[SurveySource, Path, ScoreSpec]]:
        found = [(s, p, spec) for s, p in self.sources for spec in score_specs(s) if spec.metric == metric]
        if not found:
            present = sorted({spec.metric for s, _ in self.sources for spec in score_specs(s)})
            _check_metric_name(metric, present)
        return found

    def scale_of(self, metric: str) -> Scale | None:
        """The metric's declared scale (None when no source asks it); mixed scales are an error."""
        scales = {(spec.scale_min, spec.scale_max) for *_, spec in self._specs(metric)}
        if not scales:
            return NPS_SCALE if metric == "nps" else None
        if len(scales) > 1:
            found = ", ".join(f"{a}..{b}" for a, b in sorted(scales))
            raise InputError(f"the {metric} rows mix several scales, so one figure cannot be computed",
                             column="scale_min/scale_max", expected="one scale per metric", found=found)
        return Scale(*scales.pop())

    def counts(self, metric: str, by: Sequence[str] = (), freq: str | None = None) -> pd.DataFrame:
        """Count columns per group (and per period) for one metric, like ``grouped_counts``.

        Parameters
        ----------
        metric : str
            Metric name.
        by : sequence of str
            Dimension columns; rows with a missing key are left out.
        freq : {"Q", "M"}, optional
            Add a ``period`` key (pandas Period).

        Returns
        -------
        pandas.DataFrame
            The keys, then ``n, promoters, passives, detractors, sum, sumsq`` (NPS) or
            ``n, top2, sum, sumsq``; one row per observed group (a single row without keys).
        """
        by = list(by)
        scale, kind = self.scale_of(metric), kind_of(metric)
        keys = [*by, *(["period"] if freq else [])]
        parts = [self._part(source, path, spec, by, freq) for source, path, spec in self._specs(metric)]
        if not parts or scale is None:
            return pd.DataFrame({**{k: [] for k in keys}, **{c: [] for c in _count_columns(kind)}})
        inner = " UNION ALL ".join(parts)
        group = f"GROUP BY {', '.join(_ident(k) for k in keys)}" if keys else ""
        where = " AND ".join(f"{_ident(k)} IS NOT NULL" for k in keys) or "TRUE"
        sums = ", ".join(f"sum({_ident(c)}) AS {_ident(c)}" for c in _count_columns(kind))
        sql = f"""SELECT {''.join(_ident(k) + ', ' for k in keys)}{sums}
                  FROM ({inner}) WHERE {where} {group} ORDER BY ALL"""
        table = self.con.execute(sql).df()
        if freq:
            table["period"] = pd.PeriodIndex(pd.to_datetime(table["period"]), freq=freq)
        for column in _count_columns(kind):
            table[column] = table[column].fillna(0).astype(float if column in ("sum", "sumsq") else np.int64)
        return table

    def _part(self, source, path, spec: ScoreSpec, by: list[str], freq: str | None) -> str:
        table = self._table(source, path)
        mapped = source.columns.mapped()
        cols = [f"{_ident(d) if d in mapped else 'NULL'} AS {_ident(d)}" for d in by]
        if freq:
            unit = {"Q": "quarter", "M": "month"}[check_freq(freq)]
            cols.append(f"date_trunc('{unit}', month) AS period")
        counts = [f"{_ident(spec.metric + '__' + c)} AS {_ident(c)}"
                  for c in _count_columns(kind_of(spec.metric))]
        return f"SELECT {', '.join([*cols, *counts])} FROM {table} WHERE {_ident(spec.metric + '__n')} > 0"

    def last_date(self, metric: str) -> pd.Timestamp | None:
        """The latest response date among the metric's rows."""
        parts = [f"SELECT max(last_date) FROM {self._table(s, p)} WHERE {_ident(spec.metric + '__n')} > 0"
                 for s, p, spec in self._specs(metric)]
        values = [self.con.execute(sql).fetchone()[0] for sql in parts]
        values = [v for v in values if v is not None]
        return pd.Timestamp(max(values)) if values else None


def _date_sql(source: SurveySource, types: dict[str, str]) -> str:
    """The response date as a TIMESTAMP (typed columns cast, text parsed with the declared format)."""
    column = source.columns.date
    if "TIMESTAMP" in types.get(column, "") or types.get(column) == "DATE":
        return f"CAST({_ident(column)} AS TIMESTAMP)"
    return f"try_strptime({_text(column)}, {_literal(source.date_format)})"


def _declared(source: SurveySource) -> list[str]:
    from cxkit.surveys.mapping import declared_columns

    return list(declared_columns(source).values())


def _blank(column: str, types: dict[str, str]) -> str:
    """SQL true when a cell is empty: NULL for typed (Parquet) columns, also '' for text."""
    if types.get(column, "VARCHAR").startswith("VARCHAR"):
        return f"{_text(column)} = ''"
    return f"{_ident(column)} IS NULL"


def _in_values(column: str, allowed: list[str]) -> str:
    wanted = ", ".join(_literal(str(a).strip().casefold()) for a in allowed)
    return f"(lower(trim(CAST({_ident(column)} AS VARCHAR))) IN ({wanted}))" if allowed else "FALSE"


def _score_sql(spec: ScoreSpec, types: dict[str, str]) -> str:
    """Score on the declared scale: labels, then numbers; off-scale and between-points values
    dropped; reversal last."""
    column = _ident(spec.column)
    kind = types.get(spec.column, "VARCHAR")
    if kind.startswith(("DOUBLE", "FLOAT", "DECIMAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "U")):
        number = f"CAST({column} AS DOUBLE)"
    else:
        text = _text(spec.column)
        pattern = _literal(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), LEADING_NUMBER))
        number = f"coalesce(TRY_CAST({text} AS DOUBLE), TRY_CAST(regexp_extract({text}, {pattern}, 1) AS DOUBLE))"
        if spec.labels:
            cases = " ".join(f"WHEN {_literal(str(k).strip().casefold())} THEN {float(v)!r}"
                             for k, v in spec.labels.items())
            number = f"coalesce(CASE lower({text}) {cases} END, {number})"
    lo, hi = spec.scale_min, spec.scale_max
    score = f"CASE WHEN ({number}) BETWEEN {lo} AND {hi} AND ({number}) = round({number}) THEN ({number}) END"
    return f"({lo + hi} - {score})" if spec.reversed else score


def _count_columns(kind: str) -> list[str]:
    return list(NPS_COUNTS if kind == "nps" else TOP2_COUNTS)


def _cube_sql(spec: ScoreSpec) -> list[str]:
    """The count aggregates of one metric in a source's cube, named ``<metric>__<count>``."""
    score, kind = _ident("s_" + spec.metric), kind_of(spec.metric)
    if kind == "nps":
        parts = {"n": f"count({score})", "promoters": f"count(*) FILTER (WHERE {score} >= {NPS_PROMOTER_MIN})",
                 "passives": f"count(*) FILTER (WHERE {score} > {NPS_DETRACTOR_MAX} AND {score} < {NPS_PROMOTER_MIN})",
                 "detractors": f"count(*) FILTER (WHERE {score} <= {NPS_DETRACTOR_MAX})"}
    else:
        top = Scale(spec.scale_min, spec.scale_max).top_box_from
        parts = {"n": f"count({score})", "top2": f"count(*) FILTER (WHERE {score} >= {top})"}
    parts |= {"sum": f"sum({score})", "sumsq": f"sum({score} * {score})"}
    return [f"{sql} AS {_ident(spec.metric + '__' + name)}" for name, sql in parts.items()]


# -- the metric functions, same signatures as the pandas path ----------------------------------
def summarise(survey: LargeSurvey, metric: str, rules: SampleRules | None = None) -> MetricResult:
    """:func:`cxkit.metrics.summarise` over a :class:`LargeSurvey`."""
    scale = survey.scale_of(metric)
    if scale is None:
        return MetricResult(metric=metric, value=None, n=0, ci_low=None, ci_high=None, se=None,
                            mean=None, counts={"n": 0}, status="no_data", label=metric_label(metric))
    counts = survey.counts(metric).iloc[0].to_dict()
    return formulas.result_from_counts(counts, kind_of(metric), metric, scale, rules)


def segments(survey: LargeSurvey, metric: str, by: str | Sequence[str],
             rules: SampleRules | None = None) -> pd.DataFrame:
    """:func:`cxkit.metrics.segments` over a :class:`LargeSurvey`."""
    keys = as_list(by)
    table = formulas.finalise_table(survey.counts(metric, keys), kind_of(metric), metric, rules)
    return order_results(table[[*keys, *formulas.RESULT_COLUMNS]])


def _filled(survey: LargeSurvey, metric: str, keys: list[str], freq: str,
            as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Counts per group and period with empty periods filled, as ``period_counts`` does."""
    counts = survey.counts(metric, keys, freq)
    if counts.empty:
        return counts.assign(complete=pd.Series(dtype=bool))
    periods = pd.DataFrame({"period": pd.period_range(counts["period"].min(), counts["period"].max(), freq=freq)})
    grid = counts[keys].drop_duplicates().merge(periods, how="cross") if keys else periods
    count_cols = _count_columns(kind_of(metric))
    filled = grid.merge(counts, on=[*keys, "period"], how="left")
    filled[count_cols] = filled[count_cols].fillna(0)
    for column in count_cols:
        if column not in ("sum", "sumsq"):
            filled[column] = filled[column].astype(np.int64)
    cutoff = (as_of if as_of is not None else survey.last_date(metric)).normalize()
    ends = pd.PeriodIndex(filled["period"]).end_time.normalize()
    filled.insert(len(keys) + 1, "complete", np.asarray(ends <= cutoff))
    return filled.sort_values([*keys, "period"], kind="stable").reset_index(drop=True)


def trend(survey: LargeSurvey, metric: str, freq: str = "Q", rules: SampleRules | None = None,
          as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """:func:`cxkit.metrics.trend` over a :class:`LargeSurvey`."""
    table = formulas.finalise_table(_filled(survey, metric, [], freq, as_of), kind_of(metric), metric, rules)
    return label_periods(table[["period", "complete", *formulas.RESULT_COLUMNS]])


def segment_trend(survey: LargeSurvey, metric: str, by: str | Sequence[str], freq: str = "Q",
                  rules: SampleRules | None = None, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """:func:`cxkit.metrics.segment_trend` over a :class:`LargeSurvey`."""
    keys = as_list(by)
    table = formulas.finalise_table(_filled(survey, metric, keys, freq, as_of), kind_of(metric), metric, rules)
    return label_periods(table[[*keys, "period", "complete", *formulas.RESULT_COLUMNS]])


def change_since_previous(survey: LargeSurvey, metric: str, freq: str = "Q", rules: SampleRules | None = None,
                          as_of: pd.Timestamp | None = None) -> Comparison:
    """:func:`cxkit.metrics.change_since_previous` over a :class:`LargeSurvey`."""
    counts = _filled(survey, metric, [], freq, as_of)
    complete = counts[counts["complete"]] if len(counts) else counts
    scale, kind = survey.scale_of(metric), kind_of(metric)
    if len(complete) < 2 or scale is None:
        return Comparison(metric=metric, label=metric_label(metric), diff=None, ci_low=None, ci_high=None,
                          z=None, p_value=None, n_a=0, n_b=0, significant=False, label_a="last period",
                          label_b="previous period", status="no_data")
    last, previous = complete.iloc[-1], complete.iloc[-2]
    results = [formulas.result_from_counts({c: row[c] for c in _count_columns(kind)}, kind, metric, scale, rules)
               for row in (last, previous)]
    return compare_results(results[0], results[1], str(last["period"]), str(previous["period"]))
