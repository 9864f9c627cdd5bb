"""The five chapters of an engagement, in reading order."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"


@dataclass(frozen=True)
class Chapter:
    """One notebook and the HTML page it becomes."""

    number: int
    stem: str
    title: str
    short: str
    batch_parameters: dict = field(default_factory=dict)
    weight: float = 1.0
    """Relative execution time (measured on the demo and a tiny client); parallel lanes start the
    heaviest first."""
    statistics: bool = True
    """Fits models with statsmodels (and so imports SciPy's statistics): its kernel comes from
    the zygote that has them loaded; the others start sooner (see :mod:`cxkit.run.zygote`)."""

    @property
    def notebook(self) -> Path:
        """The notebook file in ``notebooks/``."""
        return NOTEBOOKS_DIR / f"{self.stem}.ipynb"

    @property
    def file(self) -> str:
        """The HTML file name in ``reports/<client>/``."""
        return f"{self.stem}.html"


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "01_maturity_intake", "Where the organisation stands: CX maturity", "Maturity",
            {"interactive": False}, weight=1.0, statistics=False),
    Chapter(2, "02_journey_mapping", "The customer journey and where we listen", "Journey", weight=1.5,
            statistics=False),
    Chapter(3, "03_metric_baseline", "Today's baseline: NPS, CSAT, CES and PSAT", "Baseline", weight=4.0),
    Chapter(4, "04_goal_setting", "Goals: realistic, challenging, time-bound", "Goals", weight=0.8,
            statistics=False),
    Chapter(5, "05_roi_story", "What closing the gap is worth", "Value", weight=0.9),
)
