"""How an event's hash is computed: SHA-256 over a canonical JSON of its fields and the previous hash.

Pure functions (no Django), shared by `record` and `verify` so that the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """Values as they come back from a JSON column: dates, decimals and other objects become strings."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def digest(fields: dict[str, Any], prev_hash: str) -> str:
    payload = dict(fields)
    occurred = payload.get("occurred_at")
    if isinstance(occurred, dt.datetime):
        payload["occurred_at"] = occurred.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload["prev_hash"] = prev_hash
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_name",
    "on_behalf_of_id",
    "on_behalf_of_name",
    "verb",
    "target_type",
    "target_id",
    "target_repr",
    "changes",
    "data",
    "client_address",
)
