"""Intake files and the intake form, exercised without a browser."""
from __future__ import annotations

from pathlib import Path

import pytest

from cxkit.errors import InputError
from cxkit.io.intake import Respondent, read_answers, read_respondents, save_respondent
from cxkit.maturity import IntakeForm, load_framework

FW = "nine_element"


def write(root: Path, name: str, text: str) -> None:
    (root / "intake").mkdir(exist_ok=True)
    (root / "intake" / name).write_text(text, encoding="utf-8")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    write(tmp_path, "respondents.csv",
          "respondent_id,name,role,department,is_leadership\nR1,Ana,CEO,Exec,true\nR2,Bo,Agent,Support,false\n")
    write(tmp_path, "answers.csv",
          "framework,respondent_id,element,statement_id,agreement\n"
          "nine_element,R1,listening,listening.L2.a,4\n"
          "nine_element,R2,listening,listening.L2.a,\n"
          "five_stage,R1,feedback,feedback.L2.a,5\n")
    return tmp_path


def test_read_respondents_and_answers(root):
    people = read_respondents(root)
    assert people["is_leadership"].tolist() == [True, False]
    ans = read_answers(root, FW)
    assert len(ans) == 2                                          # the five_stage row is filtered out
    assert ans["agreement"].isna().tolist() == [False, True]      # blank = don't know
    assert ans["file_row"].tolist() == [2, 3]


def test_missing_files_give_empty_tables(tmp_path):
    assert read_respondents(tmp_path).empty and read_answers(tmp_path, FW, previous=True).empty


@pytest.mark.parametrize("line, column, found", [
    ("nine_element,R1,listening,listening.L2.b,6", "agreement", "6"),
    ("nine_element,R1,listening,listening.L2.b,3.5", "agreement", "3.5"),
    ("nine_element,R9,listening,listening.L2.b,3", "respondent_id", "R9"),
    ("nine_elemnt,R1,listening,listening.L2.b,3", "framework", "nine_elemnt"),  # misspelt: not dropped unseen
])
def test_bad_answer_rows_name_file_row_and_column(root, line, column, found):
    text = (root / "intake" / "answers.csv").read_text() + line + "\n"
    write(root, "answers.csv", text)
    with pytest.raises(InputError) as err:
        read_answers(root, FW)
    assert (err.value.file, err.value.row, err.value.column, err.value.found) == (
        "intake/answers.csv", 5, column, found)                  # header is row 1, new line is row 5


def test_bad_respondent_flag(root):
    write(root, "respondents.csv", "respondent_id,name,role,department,is_leadership\nR1,A,CEO,Exec,maybe\n")
    with pytest.raises(InputError) as err:
        read_respondents(root)
    assert (err.value.row, err.value.column) == (2, "is_leadership")


def test_save_replaces_only_that_respondent_and_framework(root):
    save_respondent(root, FW, Respondent("R1", "Ana", "CEO", "Exec", True),
                    {"listening.L2.b": 2, "acting.L2.a": None})
    ans = read_answers(root, FW)
    assert set(ans.loc[ans["respondent_id"] == "R1", "statement_id"]) == {"listening.L2.b", "acting.L2.a"}
    assert ans.loc[ans["respondent_id"] == "R2", "statement_id"].tolist() == ["listening.L2.a"]
    assert len(read_answers(root, "five_stage")) == 1            # other framework untouched
    assert len(read_respondents(root)) == 2
    assert not [p for p in (root / "intake").iterdir() if p.name.endswith(".tmp")]


def test_save_refuses_unknown_statement_and_bad_value(root):
    with pytest.raises(InputError, match="unknown statement"):
        save_respondent(root, FW, Respondent("R3", "C", "Dev", "Product"), {"listening.L9.z": 3})
    with pytest.raises(InputError, match="1..5"):
        save_respondent(root, FW, Respondent("R3", "C", "Dev", "Product"), {"listening.L2.a": 7})
    assert "R3" not in set(read_respondents(root)["respondent_id"])  # nothing written on refusal


def test_form_logic_without_a_browser(root):
    form = IntakeForm(root, load_framework(FW))
    assert list(form.respondent_select.options) == ["", "R1", "R2"]
    form.new_respondent("R3", "Cy", "Engineer", "Product", False)
    form.set_answer("listening.L2.a", 5)
    form.set_answer("listening.L2.b", None)                        # don't know counts as answered
    assert form._controls["listening.L2.a"].value == "5"
    assert len(form.missing()) == 72 - 2 and "listening.L2.a" not in form.missing()
    path = form.save()
    assert path == root / "intake" / "answers.csv"
    ans = read_answers(root, FW)
    assert len(ans[ans["respondent_id"] == "R3"]) == 2
    assert ans.loc[ans["respondent_id"] == "R1", "agreement"].tolist() == [4]   # others kept
    form.select_respondent("R1")
    assert form.answers == {"listening.L2.a": 4}
    form._controls["listening.L2.a"].value = "2"                  # as if chosen in the browser
    form.save_button.click()
    ans = read_answers(root, FW)
    assert ans.loc[ans["respondent_id"] == "R1", "agreement"].tolist() == [2]
    assert "Saved" in form.status.value


def test_form_shows_errors_instead_of_raising(root):
    form = IntakeForm(root, load_framework(FW))
    form.id_text.value = "R1"
    form.name_text.value, form.role_text.value, form.dept_text.value = "X", "Y", "Z"
    form.add_button.click()                                        # R1 exists already
    assert "already exists" in form.status.value
    form.save_button.click()                                       # no respondent chosen
    assert "choose or add a respondent" in form.status.value
    with pytest.raises(InputError):
        form.set_answer("nope", 3)
