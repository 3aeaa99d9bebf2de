"""Defaults shared by the analytic models, in a module that imports nothing (cheap to read).

The scenario layer reads them to give its fields the same defaults as the engine, without
loading the engine's numerics.
"""

from __future__ import annotations

__all__ = ["DEFAULT_CONCURRENCY_STRETCH"]

#: Default relative slow-down of a chat per extra chat the agent holds (0.25: a chat handled
#: beside one other takes 25 % longer, beside two others 50 % longer). Published chat studies
#: report per-chat handle time rising by roughly a fifth to a third per extra concurrent chat;
#: override it with your own measurement.
DEFAULT_CONCURRENCY_STRETCH = 0.25
