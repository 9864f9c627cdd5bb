"""Survey exports to the tidy responses table, with data-quality accounting.

Typical use (``cxkit.io.client`` resolves the path safely first)::

    from cxkit.io.survey_files import read_export
    raw = read_export(path, source, source.file)
    data = SurveyData.combine([tidy_source(raw, source)])
"""
from cxkit.surveys.survey_data import SurveyData
from cxkit.surveys.tidy import TIDY_COLUMNS, TidyResult, parse_dates, tidy_source

combine = SurveyData.combine

__all__ = ["SurveyData", "TidyResult", "TIDY_COLUMNS", "combine", "parse_dates", "tidy_source"]
