"""The error of the reports package (defined with all the others in ``peermatch.errors``)."""

from __future__ import annotations

from peermatch.errors import ReportError

__all__ = ["ReportError"]
