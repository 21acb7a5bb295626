"""The append-only, hash-chained audit trail (留痕).

`from zhongshu.audit import services as audit` is the usual import; `from zhongshu import audit` works too:
`audit.record(...)`, `audit.snapshot(...)`, `audit.diff(...)`, `audit.timelines.register(...)`,
`audit.verbs.register(...)` (loaded on first use, so importing the package needs no ready app registry).
"""

from __future__ import annotations

import importlib
from typing import Any

_SERVICES = {"record", "snapshot", "diff", "target_type_of"}
_MODULES = {"services", "selectors", "timelines", "verbs", "chain"}


def __getattr__(name: str) -> Any:
    if name in _SERVICES:
        return getattr(importlib.import_module(f"{__name__}.services"), name)
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
