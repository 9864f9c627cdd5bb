"""Raw readers for survey exports, one per layout.

Every reader returns a :class:`RawExport`: all cells as strings (nothing is guessed:
no number, date or missing-value inference), the question texts by column, the file name
to cite in messages and the spreadsheet row number of the first data row.

The readers receive a path that the caller has already resolved safely inside the
client folder, plus the name to show (relative to the client folder).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxkit.config.surveys import SurveySource
from cxkit.errors import InputError

DEFAULT_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
SNIFF_DELIMITERS = ",;\t|"
_SNIFF_BYTES = 65536
_SURVEYMONKEY_PLAIN = {"", "response", "open-ended response"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_QUALTRICS_RESPONSE = {"responseid": re.compile(r"^R_\w+$"), "startdate": _ISO_DAY, "enddate": _ISO_DAY,
                       "recordeddate": _ISO_DAY}
"""What Qualtrics' own columns (by lower-case name) hold in a response, unlike the row of
question texts ("Response ID", "Start Date")."""


@dataclass
class RawExport:
    """One survey export as read, before any mapping or cleaning.

    Attributes
    ----------
    frame : DataFrame
        Data rows only, every cell a string (blank cells are ``""``).
    labels : dict of str to str
        Question text by column name (empty when the layout has none).
    file : str
        The file relative to the client folder, for messages.
    first_data_row : int
        1-based row number (as a spreadsheet shows it) of ``frame``'s first row.
    """

    frame: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    file: str = ""
    first_data_row: int = 2


def read_export(path: Path, source: SurveySource, file: str | None = None) -> RawExport:
    """Read a survey export with the reader its declared ``format`` calls for.

    Parameters
    ----------
    path : Path
        Absolute, already-resolved path of the export.
    source : SurveySource
        The declared source (format, encoding, delimiter, sheet, date format).
    file : str, optional
        Name to show in messages; defaults to ``source.file``.

    Returns
    -------
    RawExport
    """
    shown = file or source.file
    enc, sep = source.encoding, source.delimiter
    if source.format == "qualtrics":
        return read_qualtrics(path, shown, encoding=enc, delimiter=sep)
    if source.format == "surveymonkey":
        return read_surveymonkey(path, shown, encoding=enc, delimiter=sep, sheet=source.sheet,
                                 date_format=source.date_format)
    if source.format == "csv":
        return read_csv(path, shown, encoding=enc, delimiter=sep)
    if source.format == "xlsx":
        return read_xlsx(path, shown, sheet=source.sheet, date_format=source.date_format)
    return read_parquet(path, shown, date_format=source.date_format)


def read_qualtrics(path: Path, file: str, encoding: str = "utf-8",
                   delimiter: str | None = None) -> RawExport:
    """Read a Qualtrics CSV export (3 header rows, the older 2-row layout, or names only).

    Row 1 holds column names and row 2 question texts. Newer exports add a row 3 of
    ImportId JSON (``{"ImportId":"QID1"}``); it is detected and skipped. When row 2 is
    already a response (its ResponseId or dates read as such: the extra rows were deleted
    before the file was sent), only row 1 is a header, so no response is lost.

    Parameters
    ----------
    path : Path
        Resolved path of the export.
    file : str
        Name to show in messages.
    encoding : str
        Declared encoding; ``utf-8`` also accepts a byte-order mark.
    delimiter : str, optional
        Field separator; detected when ``None``.

    Returns
    -------
    RawExport
        ``first_data_row`` is 4 for the 3-row layout, 3 for the 2-row one and 2 without
    question texts.
    """
    table = _read_text_table(path, file, encoding, delimiter)
    if len(table) < 2:
        raise InputError("a Qualtrics export needs a row of column names and a row of "
                         "question texts", file=file, row=len(table) + 1,
                         hint="Export again from Qualtrics as CSV, or declare format: csv")
    names = _unique_names(table.iloc[0].tolist())
    if _is_response(dict(zip(names, table.iloc[1].tolist()))):
        return RawExport(_data_rows(table, 1, names), {}, file, 2)
    has_import_ids = len(table) > 2 and table.iloc[2].str.startswith('{"ImportId"').any()
    n_header = 3 if has_import_ids else 2
    labels = dict(zip(names, table.iloc[1].tolist()))
    return RawExport(_data_rows(table, n_header, names), labels, file, n_header + 1)


def _is_response(row: dict[str, str]) -> bool:
    """Whether a Qualtrics row holds a response rather than question texts."""
    own = [(_QUALTRICS_RESPONSE[name.lower()], str(value).strip()) for name, value in row.items()
           if name.lower() in _QUALTRICS_RESPONSE]
    return bool(own) and all(pattern.match(value) for pattern, value in own)


def read_surveymonkey(path: Path, file: str, encoding: str = "utf-8",
                      delimiter: str | None = None, sheet: str | None = None,
                      date_format: str = DEFAULT_DATE_FORMAT) -> RawExport:
    """Read a SurveyMonkey export (CSV or XLSX) with its two header rows.

    Row 1 holds the question, blank for continuation columns that belong to the
    question before; row 2 the answer option, or ``Response`` / ``Open-Ended Response``.
    Columns are named ``question`` or ``question | option`` (made unique).

    Parameters
    ----------
    path : Path
        Resolved path; ``.xlsx`` files are read as workbooks, anything else as CSV.
    file : str
        Name to show in messages.
    encoding, delimiter : str
        CSV only, as for :func:`read_csv`.
    sheet : str, optional
        XLSX only; the first sheet when ``None``.
    date_format : str
        How typed dates in a workbook are written out as text.

    Returns
    -------
    RawExport
        ``first_data_row`` is 3; ``labels`` maps each column to its question.

    Examples
    --------
    >>> surveymonkey_names(["Q1", "", "Q2"], ["Email", "Phone", "Response"])
    ['Q1 | Email', 'Q1 | Phone', 'Q2']
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_sheet_table(path, file, sheet, date_format)
    else:
        table = _read_text_table(path, file, encoding, delimiter)
    if len(table) < 2:
        raise InputError("a SurveyMonkey export needs two header rows (questions, options)",
                         file=file, row=len(table) + 1)
    questions = _carry_forward(table.iloc[0].tolist())
    names = surveymonkey_names(table.iloc[0].tolist(), table.iloc[1].tolist())
    labels = dict(zip(names, questions))
    return RawExport(_data_rows(table, 2, names), labels, file, 3)


def surveymonkey_names(questions: list[str], options: list[str]) -> list[str]:
    """Build unique column names from SurveyMonkey's two header rows.

    Parameters
    ----------
    questions : list of str
        Row 1; blank cells continue the question to their left.
    options : list of str
        Row 2; ``Response``, ``Open-Ended Response`` or blank mean "the question itself".

    Returns
    -------
    list of str
        ``question`` or ``question | option`` per column, de-duplicated with ``.1``, ``.2``.
    """
    names = []
    for question, option in zip(_carry_forward(questions), options):
        plain = option.strip().lower() in _SURVEYMONKEY_PLAIN
        names.append(question if plain else f"{question} | {option.strip()}")
    return _unique_names(names)


def read_csv(path: Path, file: str, encoding: str = "utf-8",
             delimiter: str | None = None) -> RawExport:
    """Read a plain CSV export with one header row.

    Parameters
    ----------
    path : Path
        Resolved path of the export.
    file : str
        Name to show in messages.
    encoding : str
        Declared encoding (``utf-8`` also reads a byte-order mark; ``cp1252`` for
        Windows exports).
    delimiter : str, optional
        Field separator; detected among ``, ; tab |`` when ``None``.

    Returns
    -------
    RawExport
        ``first_data_row`` is 2 and ``labels`` is empty.
    """
    table = _read_text_table(path, file, encoding, delimiter)
    if table.empty:
        raise InputError("the file is empty; expected a header row", file=file, row=1)
    names = _unique_names(table.iloc[0].tolist())
    return RawExport(_data_rows(table, 1, names), {}, file, 2)


def read_xlsx(path: Path, file: str, sheet: str | None = None,
              date_format: str = DEFAULT_DATE_FORMAT) -> RawExport:
    """Read one sheet of a workbook with one header row.

    Parameters
    ----------
    path : Path
        Resolved path of the workbook.
    file : str
        Name to show in messages.
    sheet : str, optional
        Sheet name; the first sheet when ``None``.
    date_format : str
        How typed date cells are written out as text (use the source's ``date_format``
        so they parse back exactly).

    Returns
    -------
    RawExport
        ``first_data_row`` is 2 and ``labels`` is empty.
    """
    table = _read_sheet_table(path, file, sheet, date_format)
    if table.empty:
        raise InputError("the sheet is empty; expected a header row", file=file, row=1)
    names = _unique_names(table.iloc[0].tolist())
    return RawExport(_data_rows(table, 1, names), {}, file, 2)


def read_parquet(path: Path, file: str, date_format: str = DEFAULT_DATE_FORMAT) -> RawExport:
    """Read a Parquet export, turning every column into text.

    Parameters
    ----------
    path : Path
        Resolved path of the file.
    file : str
        Name to show in messages.
    date_format : str
        How timestamp columns are written out as text.

    Returns
    -------
    RawExport
        ``first_data_row`` is 1 (Parquet has no header row; row 1 is the first record).
    """
    _require_file(path, file)
    try:
        typed = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise InputError(f"cannot read the Parquet file ({exc})", file=file) from None
    frame = pd.DataFrame({str(c): _column_text(typed[c], date_format) for c in typed.columns})
    return RawExport(frame, {}, file, 1)


# --- text files -----------------------------------------------------------------------

def _read_text_table(path: Path, file: str, encoding: str, delimiter: str | None) -> pd.DataFrame:
    """Read a delimited text file with no header handling: every row, every cell a string."""
    _require_file(path, file)
    enc = _reading_encoding(encoding)
    sep = delimiter or sniff_delimiter(path, enc)
    try:
        table = pd.read_csv(path, header=None, dtype=str, keep_default_na=False,
                            na_filter=False, sep=sep, encoding=enc, skip_blank_lines=True)
    except UnicodeDecodeError:
        raise _decode_error(path, file, encoding) from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame(dtype=str)
    except pd.errors.ParserError as exc:
        raise _ragged_rows(exc, file, sep) from None
    return table.fillna("")


_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _ragged_rows(exc: Exception, file: str, sep: str) -> InputError:
    """A row with more fields than the rows before it, named by its row number.

    Examples
    --------
    >>> str(_ragged_rows(ValueError("Error tokenizing data. C error: Expected 12 fields in line 33, saw 13\\n"),
    ...                  "surveys/t.csv", ";"))[:89]
    "surveys/t.csv, row 33: this row has more fields than the rows above it; found '13 fields'"
    """
    hint = f"Check the delimiter (read with {sep!r}) and the quoting of texts that contain it"
    found = _RAGGED.search(str(exc))
    if found is None:
        return InputError(f"the rows do not have a consistent number of fields ({str(exc).strip()})",
                          file=file, hint=hint)
    expected, row, seen = found.groups()
    return InputError("this row has more fields than the rows above it", file=file, row=int(row),
                      found=f"{seen} fields", expected="1 field" if expected == "1" else f"{expected} fields", hint=hint)


def _reading_encoding(encoding: str) -> str:
    """Map a declared encoding to the codec used to read (utf-8 tolerates a BOM)."""
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def sniff_delimiter(path: Path, encoding: str = "utf-8-sig") -> str:
    """Detect the field separator among ``, ; tab |`` from the start of a file.

    Parameters
    ----------
    path : Path
        The text file.
    encoding : str
        Codec used to read the sample (undecodable bytes are replaced).

    Returns
    -------
    str
        The detected delimiter, or ``","`` when the sample is inconclusive.
    """
    with open(path, "rb") as handle:
        raw = handle.read(_SNIFF_BYTES)
    sample = raw.decode(encoding, errors="replace")
    if len(raw) == _SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=SNIFF_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _decode_error(path: Path, file: str, encoding: str) -> InputError:
    """Locate the first byte that does not decode and explain it."""
    data = path.read_bytes()
    try:
        data.decode(_reading_encoding(encoding))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = f"0x{data[exc.start]:02x}"
        hint = ("The file looks like a Windows export: declare encoding: cp1252 for this survey in engagement.yaml"
                if codecs.lookup(encoding).name == "utf-8" else "Check the encoding declared in engagement.yaml")
        return InputError(f"this line is not valid {encoding} text", file=file, row=line,
                          found=f"byte {byte}", hint=hint)
    return InputError(f"the file cannot be decoded as {encoding}", file=file,
                      hint="Check the encoding declared in engagement.yaml")


# --- workbooks --------------------------------------------------------------------------

def _read_sheet_table(path: Path, file: str, sheet: str | None, date_format: str) -> pd.DataFrame:
    """Read one sheet with no header handling, every cell converted to text."""
    _require_file(path, file)
    sheets = _sheet_names(path, file)
    if sheet is not None and sheet not in sheets:
        raise InputError(f"the workbook has no sheet {sheet!r}", file=file, column="sheet",
                         found=sheet, expected="one of " + ", ".join(repr(s) for s in sheets))
    typed = pd.read_excel(path, sheet_name=sheet or sheets[0], header=None, dtype=object,
                          engine="openpyxl")
    return typed.map(lambda cell: _cell_text(cell, date_format)).astype(str)


def _sheet_names(path: Path, file: str) -> list[str]:
    """List a workbook's sheets, or raise InputError when it is not a workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException
        raise InputError(f"cannot open the workbook ({exc.__class__.__name__})", file=file,
                         hint="Save it as .xlsx from Excel") from None
    names = list(book.sheetnames)
    book.close()
    return names


def _cell_text(cell: object, date_format: str) -> str:
    """Write one typed cell as the text a consultant would see."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell is pd.NaT:
        return ""
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.strftime(date_format)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


# --- parquet ------------------------------------------------------------------------------

def _column_text(column: pd.Series, date_format: str) -> pd.Series:
    """Convert one typed column to strings, blanks for missing values."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime(date_format).fillna("").astype(str)
    if pd.api.types.is_float_dtype(column):
        whole = column.dropna()
        if (whole == whole.round()).all():
            column = column.astype("Int64")
    if pd.api.types.is_object_dtype(column):
        return column.map(lambda cell: _cell_text(cell, date_format)).astype(str)
    return column.astype("string").fillna("").astype(str)


# --- shared -----------------------------------------------------------------------------

def _require_file(path: Path, file: str) -> None:
    """Raise InputError naming the file and what the folder does hold."""
    if path.is_file():
        return
    folder = path.parent
    if not folder.is_dir():
        raise InputError("the file does not exist, nor does its folder", file=file)
    present = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    listing = ", ".join(present) if present else "(none)"
    raise InputError("the file does not exist", file=file,
                     hint=f"Files in that folder: {listing}")


def _data_rows(table: pd.DataFrame, n_header: int, names: list[str]) -> pd.DataFrame:
    """Drop the header rows and name the columns."""
    data = table.iloc[n_header:].reset_index(drop=True)
    data.columns = names
    return data


def _carry_forward(questions: list[str]) -> list[str]:
    """Fill blank header cells with the last non-blank one to their left."""
    out, last = [], ""
    for position, question in enumerate(questions):
        text = str(question).strip()
        last = text or last or f"column_{position + 1}"
        out.append(last)
    return out


def _unique_names(names: list[object]) -> list[str]:
    """Name blank headers ``column_<n>`` and suffix repeats with ``.1``, ``.2``."""
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(names):
        text = str(name).strip() or f"column_{position + 1}"
        count = seen.get(text, 0)
        seen[text] = count + 1
        out.append(text if count == 0 else f"{text}.{count}")
    return out
