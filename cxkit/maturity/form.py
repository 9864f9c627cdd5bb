"""The ipywidgets intake form: pick or add a respondent, answer element by element, save.

All logic lives in :class:`IntakeForm` methods that work without a browser; the widgets
only call them. Saving goes through :func:`cxkit.io.intake.save_respondent`, which reads
the files afresh and replaces only this respondent's rows for this framework, so answers
saved meanwhile by someone else are kept.
"""
from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from cxkit.errors import InputError, closest
from cxkit.io.intake import ANSWERS_FILE, Respondent, read_answers, read_respondents, save_respondent
from cxkit.maturity.schema import Element, Framework
from cxkit.report.html import esc

UNANSWERED, DONT_KNOW = "", "dk"
CHOICES = [("— not answered —", UNANSWERED), ("Don't know", DONT_KNOW), ("1 – not true at all", "1"),
           ("2 – mostly not true", "2"), ("3 – partly true", "3"), ("4 – mostly true", "4"),
           ("5 – fully true", "5")]


def css_name(statement_id: str) -> str:
    """CSS-safe form of a statement id, used in the ``cx-stmt-<id>`` class.

    Examples
    --------
    >>> css_name("listening.L2.a")
    'listening-L2-a'
    """
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in statement_id)


def _to_value(choice: str) -> int | None:
    return None if choice == DONT_KNOW else int(choice)


def _to_choice(value: int | None) -> str:
    return DONT_KNOW if value is None or pd.isna(value) else str(int(value))


class IntakeForm:
    """An intake form for one framework in one client folder.

    Widgets and the stable hooks a browser test can use (``description`` text, CSS class):

    ======================  =====================  ==============================
    widget                  description / label    CSS class
    ======================  =====================  ==============================
    existing respondents    "Respondent"           ``cx-respondent-select``
    new respondent id       "Respondent ID"        ``cx-respondent-id``
    name, role, department  "Name", "Role",        ``cx-respondent-name``, ``-role``,
                            "Department"           ``-department``
    leadership checkbox     "Leadership"           ``cx-respondent-leadership``
    add button              "Add respondent"       ``cx-add-respondent``
    element picker          "Element"              ``cx-element-select``
    previous / next         "Previous element",    ``cx-prev-element``,
                            "Next element"         ``cx-next-element``
    one element's section   —                      ``cx-element cx-element-<id>``
    a statement's answer    statement id           ``cx-statement cx-stmt-<id>``
                                                   (dots in the id become dashes)
    missing answers         —                      ``cx-missing``
    save button             "Save answers"         ``cx-save``
    status line             —                      ``cx-status``
    ======================  =====================  ==============================

    Answer choices are "— not answered —", "Don't know" and "1 – not true at all" …
    "5 – fully true".

    Parameters
    ----------
    root : Path
        The client folder.
    framework : Framework
        The framework whose statements are asked.

    Examples
    --------
    >>> form = IntakeForm(root, fw)                                   # doctest: +SKIP
    >>> form.new_respondent("R07", "Ana", "Support lead", "Support", False)  # doctest: +SKIP
    >>> form.set_answer("listening.L2.a", 4); form.save()             # doctest: +SKIP
    """

    def __init__(self, root: Path, framework: Framework) -> None:
        self.root = Path(root)
        self.framework = framework
        self.respondent: Respondent | None = None
        self.answers: dict[str, int | None] = {}
        self._index = framework.statement_index()
        self._syncing = False
        self._controls: dict[str, w.Dropdown] = {}
        self._build()

    # ----- logic usable without a browser -------------------------------------------
    def select_respondent(self, respondent_id: str) -> None:
        """Load an existing respondent and their saved answers for this framework."""
        people = read_respondents(self.root)
        ids = people["respondent_id"].tolist()
        if respondent_id not in ids:
            raise InputError("no such respondent", column="respondent_id", found=respondent_id,
                             hint=closest(respondent_id, ids) or "Add the respondent first")
        rec = people[people["respondent_id"] == respondent_id].iloc[0]
        self.respondent = Respondent(str(rec["respondent_id"]), str(rec["name"]), str(rec["role"]),
                                     str(rec["department"]), bool(rec["is_leadership"]))
        saved = read_answers(self.root, self.framework.id)
        mine = saved[saved["respondent_id"] == respondent_id]
        self.answers = {sid: (None if pd.isna(v) else int(v))
                        for sid, v in zip(mine["statement_id"], mine["agreement"]) if sid in self._index}
        self._refresh(f"Loaded {respondent_id} with {len(self.answers)} saved answers.")

    def new_respondent(self, respondent_id: str, name: str, role: str, department: str,
                       is_leadership: bool = False) -> None:
        """Start answering for a new respondent (written to file on :meth:`save`)."""
        person = Respondent(respondent_id, name, role, department, bool(is_leadership)).checked()
        if person.respondent_id in set(read_respondents(self.root)["respondent_id"]):
            raise InputError("this respondent id already exists", column="respondent_id",
                             found=person.respondent_id, hint="Pick it from the Respondent list instead")
        self.respondent, self.answers = person, {}
        self._refresh(f"New respondent {person.respondent_id}: answer the statements, then save.")

    def set_answer(self, statement_id: str, value: int | None) -> None:
        """Record agreement 1..5, or None for "don't know", for one statement."""
        if statement_id not in self._index:
            raise InputError(f"unknown statement for framework '{self.framework.id}'", column="statement_id",
                             found=statement_id, hint=closest(statement_id, self._index) or None)
        if value is not None and (isinstance(value, bool) or value not in (1, 2, 3, 4, 5)):
            raise InputError("agreement must be 1..5 or None for don't know", column="agreement",
                             found=str(value))
        self.answers[statement_id] = value
        self._refresh()

    def missing(self) -> list[str]:
        """Statement ids not answered yet (don't know counts as answered), in form order."""
        return [sid for sid in self._index if sid not in self.answers]

    def save(self) -> Path:
        """Save this respondent's answers; other respondents' rows are never touched.

        Returns
        -------
        Path
            The answers file.
        """
        if self.respondent is None:
            raise InputError("choose or add a respondent before saving")
        save_respondent(self.root, self.framework.id, self.respondent, dict(self.answers))
        self._refresh_people()
        left = len(self.missing())
        self._refresh(f"Saved {len(self.answers)} answers for {self.respondent.respondent_id}"
                      + (f"; {left} statements still unanswered." if left else "."))
        return self.root / ANSWERS_FILE

    # ----- widgets -------------------------------------------------------------------
    def _build(self) -> None:
        self.respondent_select = self._cls(w.Dropdown(description="Respondent", options=[""]), "cx-respondent-select")
        self.id_text = self._cls(w.Text(description="Respondent ID"), "cx-respondent-id")
        self.name_text = self._cls(w.Text(description="Name"), "cx-respondent-name")
        self.role_text = self._cls(w.Text(description="Role"), "cx-respondent-role")
        self.dept_text = self._cls(w.Text(description="Department"), "cx-respondent-department")
        self.lead_box = self._cls(w.Checkbox(description="Leadership"), "cx-respondent-leadership")
        self.add_button = self._cls(w.Button(description="Add respondent"), "cx-add-respondent")
        names = [(e.name, e.id) for e in self.framework.elements]
        self.element_select = self._cls(w.Dropdown(description="Element", options=names), "cx-element-select")
        self.prev_button = self._cls(w.Button(description="Previous element"), "cx-prev-element")
        self.next_button = self._cls(w.Button(description="Next element"), "cx-next-element")
        self.sections = {e.id: self._section(e) for e in self.framework.elements}
        self.missing_html = self._cls(w.HTML(), "cx-missing")
        self.save_button = self._cls(w.Button(description="Save answers", button_style="primary"), "cx-save")
        self.status = self._cls(w.HTML(), "cx-status")
        self.respondent_select.observe(self._on_pick, names="value")
        self.add_button.on_click(lambda _: self._guard(self._on_add))
        self.save_button.on_click(lambda _: self._guard(self.save))
        self.element_select.observe(lambda _: self._show_element(), names="value")
        self.prev_button.on_click(lambda _: self._step(-1))
        self.next_button.on_click(lambda _: self._step(+1))
        people = w.VBox([self.respondent_select, w.HBox([self.id_text, self.name_text]),
                         w.HBox([self.role_text, self.dept_text, self.lead_box]), self.add_button])
        nav = w.HBox([self.element_select, self.prev_button, self.next_button])
        self.widget = self._cls(w.VBox([people, nav, *self.sections.values(), self.missing_html,
                                        self.save_button, self.status]), "cx-intake-form")
        self._refresh_people()
        self._show_element()
        self._refresh()

    @staticmethod
    def _cls(widget, name: str):
        widget.add_class(name)
        return widget

    def _section(self, element: Element) -> w.VBox:
        parts: list[w.Widget] = [w.HTML(f"<h4>{esc(element.name)}</h4>")]
        for entry in element.levels:
            head = f"<b>Level {entry.level} – {esc(self.framework.level_name(entry.level))}:</b> {esc(entry.description)}"
            parts.append(self._cls(w.HTML(f"<div>{head}</div>"), "cx-level"))
            for statement in entry.statements:
                control = w.Dropdown(description=statement.id, options=CHOICES, value=UNANSWERED,
                                     layout=w.Layout(width="32em"), style={"description_width": "initial"})
                self._cls(control, "cx-statement").add_class(f"cx-stmt-{css_name(statement.id)}")
                control.observe(lambda ch, sid=statement.id: self._on_choice(sid, ch["new"]), names="value")
                self._controls[statement.id] = control
                parts.append(w.HTML(f"<div class='cx-statement-text'>{esc(statement.text)}</div>"))
                parts.append(control)
        box = w.VBox(parts)
        box.add_class("cx-element")
        box.add_class(f"cx-element-{css_name(element.id)}")
        return box

    def _on_choice(self, statement_id: str, choice: str) -> None:
        if self._syncing:
            return
        if choice == UNANSWERED:
            self.answers.pop(statement_id, None)
            self._refresh()
        else:
            self.set_answer(statement_id, _to_value(choice))

    def _on_pick(self, change) -> None:
        if not self._syncing and change["new"]:
            self._guard(lambda: self.select_respondent(change["new"]))

    def _on_add(self) -> None:
        self.new_respondent(self.id_text.value, self.name_text.value, self.role_text.value,
                            self.dept_text.value, self.lead_box.value)

    def _guard(self, action) -> None:
        try:
            action()
        except InputError as exc:
            self.status.value = f"<span class='cx-error'>{esc(str(exc))}</span>"

    def _step(self, delta: int) -> None:
        ids = self.framework.element_ids
        pos = (ids.index(self.element_select.value) + delta) % len(ids)
        self.element_select.value = ids[pos]

    def _show_element(self) -> None:
        for element_id, box in self.sections.items():
            box.layout.display = None if element_id == self.element_select.value else "none"

    def _refresh_people(self) -> None:
        self._syncing = True
        try:
            ids = read_respondents(self.root)["respondent_id"].tolist()
            current = self.respondent.respondent_id if self.respondent else ""
            self.respondent_select.options = [""] + ids
            self.respondent_select.value = current if current in ids else ""
        finally:
            self._syncing = False

    def _refresh(self, message: str | None = None) -> None:
        self._syncing = True
        try:
            for sid, control in self._controls.items():
                control.value = _to_choice(self.answers[sid]) if sid in self.answers else UNANSWERED
            person = self.respondent
            if person is not None:
                self.id_text.value, self.name_text.value = person.respondent_id, person.name
                self.role_text.value, self.dept_text.value = person.role, person.department
                self.lead_box.value = person.is_leadership
        finally:
            self._syncing = False
        self.missing_html.value = self._missing_markup()
        if message is not None:
            self.status.value = esc(message)

    def _missing_markup(self) -> str:
        left = self.missing()
        if not left:
            return "<b>All statements answered.</b>"
        per = pd.Series([self._index[s][0] for s in left]).value_counts()
        items = "".join(f"<li>{esc(self.framework.element(e).name)}: {n}</li>"
                        for e, n in per.reindex(self.framework.element_ids).dropna().astype(int).items())
        return f"<b>{len(left)} statements not answered yet</b><ul>{items}</ul>"
