"""Tests for cxkit.plotting.drivers (effects and quadrant charts)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from cxkit.drivers.linkage import operational_effects
from cxkit.drivers.shapley import key_drivers
from cxkit.plotting.drivers import effects_chart, quadrant_chart


def _joined(n: int) -> pd.DataFrame:
    # planted: csat = 4 - 0.3 x transfers - 0.02 x wait_minutes + noise (scale 1-5)
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"transfers": rng.poisson(1.0, n).astype(float),
                          "wait_minutes": rng.exponential(8.0, n),
                          "reopens": rng.binomial(1, .2, n).astype(float),
                          "handle_minutes": rng.gamma(4.0, 4.0, n)})
    frame["csat"] = 4 - .3 * frame["transfers"] - .02 * frame["wait_minutes"] + rng.normal(0, .6, n)
    frame.attrs["scales"] = {"csat": (1, 5)}
    return frame


def _survey(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({f"attr_{a}": np.clip(np.round(m + rng.normal(size=n)), 1, 5)
                          for a, m in {"speed": 2.5, "ease": 4.0, "value": 3.0}.items()})
    frame["nps"] = np.clip(np.round(frame["attr_speed"] * 1.5 + frame["attr_ease"]
                                    + rng.normal(size=n)), 0, 10)
    return frame


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts + ax.get_yticklabels())


def test_effects_chart_draws_one_row_per_driver():
    fig = effects_chart(operational_effects(_joined(300)))
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2  # scale points and top-2-box percentage points
    assert "Per extra transfer" in _texts(fig)


def test_quadrant_chart_names_quadrants_and_attributes():
    fig = quadrant_chart(key_drivers(_survey(200), n_boot=20))
    text = _texts(fig)
    for name in ("Fix first", "Keep", "Lower priority", "speed", "ease", "value"):
        assert name in text


def test_charts_for_insufficient_data_show_the_message():
    fig = effects_chart(operational_effects(_joined(10)))
    assert "Only 10 responses" in _texts(fig)
    assert "a key-driver analysis needs" in _texts(quadrant_chart(key_drivers(_survey(10))))
