"""Writing the demo files with fixed formatting, so the same seed gives the same bytes."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def format_times(values: np.ndarray) -> np.ndarray:
    """Format ``datetime64`` values as ``%Y-%m-%d %H:%M:%S`` text (blank for NaT).

    Examples
    --------
    >>> format_times(np.array(["2025-01-02T03:04:05", "NaT"], dtype="datetime64[s]")).tolist()
    ['2025-01-02 03:04:05', '']
    """
    text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
    text = np.char.replace(text, "T", " ")
    return np.where(np.isnat(values), "", text).astype(object)


def write_yaml(path: Path, document: dict, comment: str = "") -> None:
    """Write ``document`` as block-style YAML in insertion order, after a ``#`` comment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)
    path.write_text(header + body, encoding="utf-8", newline="\n")


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write a UTF-8, comma-separated CSV with ``\\n`` line ends and fixed date format.

    Floats are written in their shortest exact form, so callers round them first (the
    demo rounds minutes and years to one decimal).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", date_format=DATE_FORMAT,
                 encoding="utf-8")


def write_csv_slices(path: Path, frames: Iterable[pd.DataFrame]) -> None:
    """Write consecutive frames as one CSV (header from the first), like :func:`write_csv`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for k, frame in enumerate(frames):
            frame.to_csv(handle, index=False, header=k == 0, lineterminator="\n",
                         date_format=DATE_FORMAT)


def write_qualtrics(path: Path, header: list[list[str]], frame: pd.DataFrame) -> None:
    """Write a Qualtrics CSV export: UTF-8 with BOM, three header rows, then the data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(header)
        frame.to_csv(handle, index=False, header=False, lineterminator="\n")


def write_parquet(path: Path, frames: Iterable[pd.DataFrame]) -> int:
    """Write frames as consecutive row groups of one Parquet file; return the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    writer, rows = None, 0
    try:
        for frame in frames:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table.cast(writer.schema), row_group_size=len(frame))
            rows += len(frame)
    finally:
        if writer is not None:
            writer.close()
    return rows
