"""A DataFrame that also states its findings: the return type of gaps and progress.

It behaves as an ordinary :class:`pandas.DataFrame` (slices and copies are plain
DataFrames) and adds ``summary()`` (sentences for the readout) and an escaped
``_repr_html_`` that shows the table followed by the findings.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from cxkit.report.html import bullets, table


class FindingsTable(pd.DataFrame):
    """A tidy result table with consultant-style findings attached.

    The findings are computed by a function stored in ``attrs["summarise"]`` so that the
    sentences always describe the rows actually present.
    """

    @property
    def _constructor(self):  # derived frames are plain DataFrames
        return pd.DataFrame

    @classmethod
    def build(cls, frame: pd.DataFrame, summarise: Callable[[pd.DataFrame], list[str]],
              caption: str, formats: dict[str, str] | None = None) -> "FindingsTable":
        """Wrap ``frame`` with its summary function, caption and number formats."""
        out = cls(frame)
        out.attrs.update({"summarise": summarise, "caption": caption, "formats": formats or {}})
        return out

    def summary(self) -> list[str]:
        """Findings in a consultant's words."""
        summarise = self.attrs.get("summarise")
        return summarise(pd.DataFrame(self)) if summarise else []

    def _repr_html_(self) -> str:
        shown = pd.DataFrame(self).drop(columns=["element"], errors="ignore")
        return (str(table(shown, caption=self.attrs.get("caption"), formats=self.attrs.get("formats")))
                + str(bullets(self.summary())))
