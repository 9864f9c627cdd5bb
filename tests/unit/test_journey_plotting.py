"""Journey map and friction heatmap: they render, and card text stays inside its card."""
from __future__ import annotations

import pandas as pd
import pytest

from cxkit.journey import Friction, load_journey
from cxkit.journey.map_layout import card_layout, fit_text
from cxkit.plotting.journey import friction_heatmap, journey_map

LONG = "Very long touchpoint name that would never fit on one small card in print"


def big_journey(stages: int = 8, touchpoints: int = 30, crowded: bool = False):
    """8 stages x 30 touchpoints; crowded puts 10 in the first stage to stress one column."""
    kinds = ["task", "interaction", "product_use", "relationship"]
    metric = {"task": "ces", "interaction": "csat", "product_use": "psat", "relationship": "nps"}
    where = [0] * 10 + [1 + i % (stages - 1) for i in range(touchpoints - 10)] if crowded else \
        [i % stages for i in range(touchpoints)]
    tps = [{"id": f"t{i}", "name": f"{LONG} {i}" if i % 3 == 0 else f"Step {i}", "stage": f"s{where[i]}",
            "channels": ["email", "chat", "in-app", "phone"], "owner": "Customer Success Operations Team",
            "kind": kinds[i % 4], "moment_that_matters": i % 5 == 0} for i in range(touchpoints)]
    posts = [{"touchpoint": f"t{i}", "metric": metric[kinds[i % 4]], "trigger": "after", "channel": "email"}
             for i in range(0, touchpoints, 2)]
    return load_journey({"stages": [{"id": f"s{i}", "name": f"Stage number {i} with a long name"}
                                    for i in range(stages)],
                         "touchpoints": tps, "listening_posts": posts})


def fake_measured(journey) -> pd.DataFrame:
    statuses = ["ok", "small", "withheld", "no_data"]
    rows = []
    for i, p in enumerate(journey.listening_posts):
        status = statuses[i % 4]
        value = None if status in ("withheld", "no_data") else 40.0 + 5 * i
        tp = journey.touchpoint_by_id()[p.touchpoint]
        rows.append({"stage": tp.stage, "touchpoint": tp.id, "metric": p.metric, "declared": True,
                     "n": {"ok": 120, "small": 15, "withheld": 4, "no_data": 0}[status], "value": value,
                     "status": status, "score_index": value if value is not None else float("nan")})
    return pd.DataFrame(rows)


def card_text_fits(fig) -> list[str]:
    """Return the ids of cards whose text runs outside the card (in display pixels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    cards = {p.get_gid()[5:]: p.get_window_extent(renderer) for p in ax.patches
             if (p.get_gid() or "").startswith("card:")}
    bad = []
    for text in ax.texts:
        gid = text.get_gid() or ""
        if gid.startswith("cardtext:"):
            box, card = text.get_window_extent(renderer), cards[gid[9:]]
            if box.x1 > card.x1 + 0.5 or box.y0 < card.y0 - 0.5 or box.x0 < card.x0:
                bad.append(gid)
    return bad


@pytest.mark.parametrize("crowded", [False, True])
def test_map_at_8_stages_30_touchpoints_keeps_text_in_cards(crowded):
    journey = big_journey(crowded=crowded)
    fig = journey_map(journey, fake_measured(journey))
    assert tuple(fig.get_size_inches()) == (11.0, 7.5)
    assert card_text_fits(fig) == []
    cards = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("card:")]
    assert len(cards) == 30


def test_map_without_survey_data_says_the_curve_is_missing():
    journey = big_journey(stages=3, touchpoints=5)
    fig = journey_map(journey)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "No survey scores yet" in texts
    assert card_text_fits(fig) == []


def test_map_with_an_empty_stage_and_no_touchpoints():
    journey = load_journey({"stages": [{"id": "a", "name": "A"}]})
    fig = journey_map(journey)
    assert fig.axes


def test_card_layout_keeps_cards_inside_the_band():
    boxes = card_layout(big_journey(crowded=True), bottom=0.25, top=0.86)
    assert min(b.top - b.height for b in boxes) >= 0.25 - 1e-9
    assert max(b.top for b in boxes) <= 0.86


def test_fit_text_never_exceeds_its_limits():
    text = fit_text(LONG, 14, 2)
    assert all(len(line) <= 14 for line in text.split("\n"))
    assert text.count("\n") == 1 and text.endswith("…")


def test_friction_heatmap_annotates_n_and_marks_small_cells():
    table = pd.DataFrame({"stage": ["a", "a", "b"], "stage_name": ["A", "A", "B"],
                          "channel": ["chat", "email", "chat"], "n": [120, 12, 4],
                          "mean": [5.5, 4.0, None], "value": [80.0, 40.0, None],
                          "ci_low": None, "ci_high": None, "status": ["ok", "small", "withheld"]})
    reasons = pd.DataFrame({"contact_reason": ["billing"], "n": [50], "mean": [4.2], "value": [55.0],
                            "ci_low": None, "ci_high": None, "status": ["ok"]})
    fig = friction_heatmap(Friction("ces", table, reasons))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("n=120" in t and "80% easy" in t for t in texts)
    assert any("n=12 small" in t for t in texts)
    assert any("withheld" in t for t in texts)
    assert len(fig.axes) == 2
    assert sum(p.get_hatch() == "///" for p in fig.axes[0].patches) == 2


def test_friction_heatmap_without_data_is_a_message():
    fig = friction_heatmap(Friction(None, pd.DataFrame(columns=["n"]), pd.DataFrame(),
                                    ["No survey data was provided."]))
    assert "No survey data" in fig.axes[0].texts[0].get_text()
