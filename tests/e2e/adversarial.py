"""An adversarial copy of the demo client: markup, Markdown, maths and personal data planted
in the places a client controls (comments, segment and touchpoint names, titles)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from e2e_support import copy_demo, edit_engagement

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[click](javascript:alert(1))"
MARKUP = "**bold** $x^2$ $$math$$"
PAYLOADS = (SCRIPT, IMG, LINK, MARKUP)
EMAIL = "jane.doe@example.com"
PHONE = "+44 20 7946 0958"
CARD = "4111 1111 1111 1111"
NAME = "Sarah Whitfield"
ADDRESS = "221B Baker Street"
SPELLED_EMAIL = "jordan at example dot com"
SELF_NAMED = "Priya Natarajan"
PERSONAL = (EMAIL, PHONE, CARD, NAME, ADDRESS, SPELLED_EMAIL, SELF_NAMED)
EVIL_NAME = "Evil Widgets"
SEGMENTS = {"SMB": IMG, "Mid-market": MARKUP}
TOUCHPOINT = ("integrations_hub", LINK)
JOURNEY_NAME = f"Website {SCRIPT} {MARKUP}"
COMMENTS = (
    f"Support was slow {SCRIPT} please email me at {EMAIL}",
    f"Billing charged my card {CARD} twice {IMG}",
    f"Call me back on {PHONE}, the dashboard is broken {LINK}",
    f"Loading takes ages {MARKUP} and nobody called me on {PHONE}",
    f"My name is {NAME}, send the contract to {ADDRESS} {SCRIPT}",
    f"I'm {SELF_NAMED}; nobody answered, write to {SPELLED_EMAIL}",
)


def make_adversarial(client_data: Path, client: str = "evil") -> Path:
    """Write the adversarial client under ``client_data`` and return its folder."""
    folder = copy_demo(client_data, client)
    edit_engagement(folder, _engagement)
    _rewrite_csv(folder / "surveys" / "transactional.csv", header_rows=1, segment="segment",
                 comment="comment", touchpoint="touchpoint")
    _rewrite_csv(folder / "surveys" / "relationship_qualtrics.csv", header_rows=3, segment="Segment",
                 comment="Q_NPS_WHY", touchpoint=None)
    _rewrite_csv(folder / "operations" / "customers.csv", header_rows=1, segment="segment", comment=None,
                 touchpoint=None)
    journey = yaml.safe_load((folder / "journey.yaml").read_text(encoding="utf-8"))
    journey["touchpoints"][0]["name"] = JOURNEY_NAME
    journey["touchpoints"][0]["pain_points"] = [f"Pricing {IMG} is unclear"]
    (folder / "journey.yaml").write_text(yaml.safe_dump(journey, sort_keys=False), encoding="utf-8")
    return folder


def _engagement(data: dict) -> None:
    data["client"] = EVIL_NAME
    data["engagement_title"] = f"Baseline {SCRIPT}"
    data["consultant_firm"] = f"Firm {IMG}"


def _rewrite_csv(path: Path, *, header_rows: int, segment: str, comment: str | None,
                 touchpoint: str | None) -> None:
    """Replace segment names everywhere, and plant payloads in every 25th comment and touchpoint."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    head = rows[0]
    seg_i = head.index(segment)
    com_i = head.index(comment) if comment else None
    tp_i = head.index(touchpoint) if touchpoint else None
    for n, row in enumerate(rows[header_rows:]):
        row[seg_i] = SEGMENTS.get(row[seg_i], row[seg_i])
        if com_i is not None and n % 25 == 0:
            row[com_i] = COMMENTS[(n // 25) % len(COMMENTS)]
        if tp_i is not None and row[tp_i] == TOUCHPOINT[0] and n % 2 == 0:
            row[tp_i] = TOUCHPOINT[1]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))
