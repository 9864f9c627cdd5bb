"""The ``operations:`` section of engagement.yaml: operational data files."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OperationsFiles(BaseModel):
    """Where the client's operational tables live, relative to the client folder.

    Every file is optional: a chapter that needs a missing one says so instead of failing.
    """

    model_config = ConfigDict(extra="forbid")

    contacts: str | None = Field(None, description="support contacts: wait, transfers, reopens")
    customers: str | None = Field(None, description="customer table: segment, value, churn")
    cases: str | None = Field(None, description="follow-up cases for closing the loop")
    join_window_days: int = Field(7, ge=0, le=90, description="customer-id join window")
