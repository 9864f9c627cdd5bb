"""The seeded demo-client generator: a fictional B2B software company for demos and tests.

``generate(Path("client_data/demo"), seed=7, responses=20000)`` writes a complete client
folder (layout in ``docs/architecture.md``). Same seed and arguments, same bytes; above
:data:`PARQUET_THRESHOLD` responses the survey exports are Parquet files instead of CSV.

What the analyses should find (the planted "answer key"):

* SMB's NPS falls by about 15 points in the last two quarters; Enterprise and Mid-market
  stay flat (:data:`cxkit.demo.relationship.SMB_NPS_SHIFT`).
* Each transfer costs about 0.3 CSAT points and each 10 minutes of waiting about 0.2;
  both lower CES too (:mod:`cxkit.demo.operations`).
* Customers whose latest NPS is a detractor churn about 25%, passives 12%, promoters 5%.
* Reliability and support drive NPS most; support is rated lowest ("fix first").
* Bugs and reliability dominate detractor comments; a few comments hold e-mail
  addresses, phone numbers and HTML/script markup.
* Journey gaps: a deaf Discover stage, an unheard moment that matters (sales demo),
  social and SMS never surveyed, NPS right after a support ticket, a touchpoint surveyed
  three times per session.
* Closing the loop: Product follows detractors up late or never; Support is fast.
* Intake: leadership rates culture and acting about 1.5 levels above the frontline; a year
  earlier listening, technology and strategy were one level lower.
* Data quality (CSV exports): preview rows, unfinished responses, an identical and a
  conflicting duplicate, an out-of-range score and an impossible date per source
  (:mod:`cxkit.demo.quality`).
"""
from cxkit.demo.generator import PARQUET_THRESHOLD, DemoData, build, generate

__all__ = ["PARQUET_THRESHOLD", "DemoData", "build", "generate"]
