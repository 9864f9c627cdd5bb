"""Reading and atomically writing the maturity intake (respondents and their answers).

Files, relative to the client folder:

``intake/respondents.csv``
    ``respondent_id, name, role, department, is_leadership`` (true/false).
``intake/answers.csv``
    ``framework, respondent_id, element, statement_id, agreement``; agreement is 1 (not
    true at all) to 5 (fully true), blank for "don't know". Several frameworks share it.
``intake/previous_answers.csv``
    An earlier assessment in the same layout (optional).

Writes replace the files atomically (temporary file in the same folder, fsync,
``os.replace``), so a crash never leaves half a file, and a save replaces only one
respondent's rows for one framework.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxkit.errors import InputError, closest
from cxkit.io.paths import resolve_inside

RESPONDENTS_FILE = "intake/respondents.csv"
ANSWERS_FILE = "intake/answers.csv"
PREVIOUS_FILE = "intake/previous_answers.csv"
RESPONDENT_COLUMNS = ["respondent_id", "name", "role", "department", "is_leadership"]
ANSWER_COLUMNS = ["framework", "respondent_id", "element", "statement_id", "agreement"]
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}


@dataclass(frozen=True)
class Respondent:
    """One stakeholder who answers the intake.

    Examples
    --------
    >>> Respondent("R01", "Ana Silva", "Support lead", "Support", False).department
    'Support'
    """

    respondent_id: str
    name: str
    role: str
    department: str
    is_leadership: bool = False

    def checked(self) -> "Respondent":
        """Return a copy with stripped text; raise InputError when a field is empty."""
        values = {k: str(getattr(self, k)).strip() for k in RESPONDENT_COLUMNS[:4]}
        for key, value in values.items():
            if not value:
                raise InputError(f"the respondent's {key.replace('_', ' ')} is empty",
                                 column=key, hint="Every respondent needs an id, a name, a role and a department")
        return Respondent(**values, is_leadership=bool(self.is_leadership))


def _read_raw(root: Path, relative: str, columns: list[str]) -> pd.DataFrame:
    """Read a CSV as text (no type guessing); an absent file gives an empty frame."""
    path = resolve_inside(root, relative, must_exist=False)
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the file as CSV ({type(exc).__name__})", file=relative,
                         hint="Save it as UTF-8 CSV with a comma between columns") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError("required column missing", file=relative, column=missing[0],
                         expected=", ".join(columns), found=", ".join(frame.columns),
                         hint=closest(missing[0], frame.columns) or None)
    return frame.apply(lambda s: s.str.strip())


def _parse_bool(value: str, row: int) -> bool:
    low = value.lower()
    if low in _TRUE or low in _FALSE:
        return low in _TRUE
    raise InputError("not a yes/no value", file=RESPONDENTS_FILE, row=row, column="is_leadership",
                     found=value, expected="true or false")


def read_respondents(root: Path) -> pd.DataFrame:
    """Read ``intake/respondents.csv``.

    Parameters
    ----------
    root : Path
        The client folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id, name, role, department`` (string) and ``is_leadership``
        (bool). Empty when the file does not exist yet.

    Raises
    ------
    InputError
        A missing column, an empty id/role/department, a duplicate id or a bad yes/no.
    """
    raw = _read_raw(root, RESPONDENTS_FILE, RESPONDENT_COLUMNS)
    seen: set[str] = set()
    for pos, rec in enumerate(raw.to_dict("records")):
        row = pos + 2
        for key in ("respondent_id", "role", "department"):
            if not rec[key]:
                raise InputError("empty value", file=RESPONDENTS_FILE, row=row, column=key,
                                 hint="Every respondent needs an id (or code), a role and a department")
        if rec["respondent_id"] in seen:
            raise InputError("the same respondent id appears twice", file=RESPONDENTS_FILE, row=row,
                             column="respondent_id", found=rec["respondent_id"])
        seen.add(rec["respondent_id"])
    leaders = [_parse_bool(v, pos + 2) for pos, v in enumerate(raw["is_leadership"])]
    out = raw[RESPONDENT_COLUMNS[:4]].astype("string")
    out["is_leadership"] = pd.Series(leaders, index=raw.index, dtype=bool)
    return out.reset_index(drop=True)


def _parse_agreement(value: str, file: str, row: int) -> float:
    if value == "":
        return float("nan")
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number.is_integer() or not 1 <= number <= 5:
        raise InputError("agreement must be a whole number from 1 to 5, or blank for don't know",
                         file=file, row=row, column="agreement", found=value, expected="1..5 or blank")
    return number


def read_answers(root: Path, framework: str, previous: bool = False) -> pd.DataFrame:
    """Read the intake answers for one framework.

    Parameters
    ----------
    root : Path
        The client folder.
    framework : str
        Framework id; only rows with this ``framework`` value are returned.
    previous : bool
        Read ``intake/previous_answers.csv`` (an earlier assessment) instead. Respondents
        of an earlier assessment need not be in today's ``respondents.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``framework, respondent_id, element, statement_id`` (string),
        ``agreement`` (Int64, <NA> = don't know) and ``file_row`` (the spreadsheet row,
        for error messages). Empty when the file does not exist.

    Raises
    ------
    InputError
        With file, row and column: a framework that does not exist (its answers would
        be lost), agreement outside 1..5, an unknown respondent, an empty id, or the same
        statement answered twice by one respondent.
    """
    file = PREVIOUS_FILE if previous else ANSWERS_FILE
    raw = _read_raw(root, file, ANSWER_COLUMNS)
    raw["file_row"] = range(2, len(raw) + 2)
    _check_frameworks(raw, root, file)
    raw = raw[raw["framework"] == framework]
    known = None if previous else set(read_respondents(root)["respondent_id"])
    values = []
    for rec in raw.to_dict("records"):
        for key in ("respondent_id", "element", "statement_id"):
            if not rec[key]:
                raise InputError("empty value", file=file, row=rec["file_row"], column=key)
        if known is not None and rec["respondent_id"] not in known:
            raise InputError("answer from a respondent who is not in intake/respondents.csv", file=file,
                             row=rec["file_row"], column="respondent_id", found=rec["respondent_id"],
                             hint=closest(rec["respondent_id"], known) or "Add the respondent first")
        values.append(_parse_agreement(rec["agreement"], file, rec["file_row"]))
    dup = raw.duplicated(["respondent_id", "statement_id"], keep="first")
    if dup.any():
        first = raw[dup].iloc[0]
        raise InputError("the same respondent answered this statement twice", file=file,
                         row=int(first["file_row"]), column="statement_id", found=first["statement_id"])
    out = raw[ANSWER_COLUMNS[:4]].astype("string").reset_index(drop=True)
    out["agreement"] = pd.array([None if pd.isna(v) else int(v) for v in values], dtype="Int64")
    out["file_row"] = raw["file_row"].to_numpy(dtype="int64")
    return out


def _check_frameworks(raw: pd.DataFrame, root: Path, file: str) -> None:
    """Refuse a row whose framework exists nowhere: a misspelt id would drop its answers unseen."""
    from cxkit.frameworks import list_frameworks

    known = list_frameworks(root)
    unknown = ~raw["framework"].isin(known)
    if unknown.any():
        rec = raw[unknown].iloc[0]
        raise InputError("answer for a maturity framework that does not exist", file=file, row=int(rec["file_row"]),
                         column="framework", found=rec["framework"], expected="one of " + ", ".join(known),
                         hint=closest(rec["framework"], known) or None)


def _write_atomic(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` as CSV to ``path`` via a temporary file, fsync and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _statement_elements(root: Path, framework: str, answers: dict[str, int | None]) -> dict[str, str]:
    """Map each answered statement id to its element, refusing unknown ids and values."""
    from cxkit.maturity.loading import load_framework  # io -> maturity only here, lazily

    index = load_framework(framework, root).statement_index()
    for sid, value in answers.items():
        if sid not in index:
            raise InputError(f"unknown statement for framework '{framework}'", column="statement_id",
                             found=sid, hint=closest(sid, index) or None)
        if value is not None and (isinstance(value, bool) or value not in (1, 2, 3, 4, 5)):
            raise InputError("agreement must be 1..5 or None for don't know", column="agreement",
                             found=str(value), expected="1, 2, 3, 4, 5 or None")
    return {sid: index[sid][0] for sid in answers}


def save_respondent(root: Path, framework: str, respondent: Respondent,
                    answers: dict[str, int | None]) -> None:
    """Add or replace one respondent's answers for one framework.

    The respondent's row in ``respondents.csv`` is added or updated; in ``answers.csv``
    only the rows of this respondent for this framework are replaced. Every other row is
    kept byte for byte as text. Both files are rewritten atomically, respondents first
    (a respondent without answers is harmless; answers without a respondent are not).

    Parameters
    ----------
    root : Path
        The client folder.
    framework : str
        Framework id.
    respondent : Respondent
        Who answered.
    answers : dict of str to int or None
        Statement id to agreement 1..5, or None for "don't know" (written as blank).

    Raises
    ------
    InputError
        Unknown statement id, agreement outside 1..5, or an empty respondent field.
    """
    person = respondent.checked()
    elements = _statement_elements(root, framework, answers)
    people = _read_raw(root, RESPONDENTS_FILE, RESPONDENT_COLUMNS)
    people = people[people["respondent_id"] != person.respondent_id]
    new_person = pd.DataFrame([{**person.__dict__, "is_leadership": "true" if person.is_leadership else "false"}])
    _write_atomic(resolve_inside(root, RESPONDENTS_FILE, must_exist=False),
                  pd.concat([people, new_person[RESPONDENT_COLUMNS]], ignore_index=True))
    rows = _read_raw(root, ANSWERS_FILE, ANSWER_COLUMNS)
    keep = ~((rows["framework"] == framework) & (rows["respondent_id"] == person.respondent_id))
    new_rows = pd.DataFrame(
        [[framework, person.respondent_id, elements[sid], sid, "" if v is None else str(int(v))]
         for sid, v in answers.items()], columns=ANSWER_COLUMNS)
    _write_atomic(resolve_inside(root, ANSWERS_FILE, must_exist=False),
                  pd.concat([rows[keep], new_rows], ignore_index=True))
