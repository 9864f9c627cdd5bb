"""Typed, validated configuration: ``engagement.yaml`` and its sections."""
from cxkit.config.engagement import Engagement, Period, SampleSettings, parse_engagement, validation_error

__all__ = ["Engagement", "Period", "SampleSettings", "parse_engagement", "validation_error"]
