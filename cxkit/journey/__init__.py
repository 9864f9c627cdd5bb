"""Journey mapping: the journey as data, listening coverage, metric fit, scores and friction.

Typical use in a notebook::

    journey = load_journey(yaml_dict)
    cov = coverage(journey, responses)
    fit = metric_fit(journey)
    scores = measured(journey, responses, sample_rules)
    fr = friction(journey, responses, contacts)
    recs = recommendations(journey, cov, fit, scores)
"""
from cxkit.journey.coverage import Coverage, coverage
from cxkit.journey.friction import Friction, friction
from cxkit.journey.frequency import SurveyFatigue
from cxkit.journey.loading import journey_findings, load_journey
from cxkit.journey.measured import format_value, measured, measured_sentences, stage_curve
from cxkit.journey.recommend import recommendation_sentences, recommendations
from cxkit.journey.rules import FitRules, fit_sentences, load_fit_rules, metric_fit
from cxkit.journey.schema import (CHANNEL_NAMES, CHANNELS, KINDS, METRICS, Journey, ListeningPost, Stage, Touchpoint,
                                  channel_name)

__all__ = [
    "CHANNEL_NAMES", "CHANNELS", "KINDS", "METRICS", "Coverage", "FitRules", "Friction", "Journey",
    "ListeningPost", "Stage", "SurveyFatigue", "Touchpoint", "channel_name", "coverage", "fit_sentences",
    "format_value", "friction", "journey_findings", "load_fit_rules", "load_journey",
    "measured", "measured_sentences", "metric_fit", "recommendation_sentences",
    "recommendations", "stage_curve",
]
