"""How an event's hash is computed: SHA-256 over a canonical JSON of its fields and the previous hash.

Pure functions (no Django), shared by `record` and `verify` so that the two can never disagree.

The canonical form is designed so that the hash recomputed from a row read back from the database equals
the hash computed before the row was written, on SQLite and on PostgreSQL alike:
- JSON objects are hashed with sorted keys (jsonb reorders keys);
- numbers: integral floats become ints (jsonb prints 1e20 as 100000000000000000000 and reads it back as an
  int), NaN and infinities become strings (no database stores them in JSON);
- text loses NUL characters and lone surrogates (PostgreSQL refuses both);
- the time is the UTC instant with microseconds (what both databases keep);
- the client address is the compressed form of the IP address (PostgreSQL's inet prints some IPv6 forms
  differently from Python).
`jsonable` applies the same rules before the values are stored, so what is stored is what is hashed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import ipaddress
import json
import math
import uuid
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64

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

_TEXT_FIELDS = ("actor_name", "on_behalf_of_name", "verb", "target_type", "target_id", "target_repr")
_ID_FIELDS = ("seq", "actor_id", "on_behalf_of_id")


def clean_text(value: str) -> str:
    """Text as PostgreSQL can store it: no NUL characters, no lone surrogates."""
    text = str(value).replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def jsonable(value: Any) -> Any:
    """A value as it comes back from a JSON column, in canonical form (idempotent).

    Dates and times become ISO strings, decimals and UUIDs strings, model instances their primary key,
    sets and tuples lists, integral floats ints; anything else unknown becomes its text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_text(_key(key)): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, bytes):
        return clean_text(value.decode("utf-8", "replace"))
    if hasattr(value, "_meta") and hasattr(value, "pk"):  # a model instance: its primary key
        return jsonable(value.pk)
    return clean_text(str(value))


def _key(key: Any) -> str:
    if isinstance(key, str):
        return str(key)
    if key is None or isinstance(key, bool | int | float):
        return json.dumps(key)
    return str(key)


def normalize_address(value: Any) -> str | None:
    """The canonical text of an IP address (IPv4 dotted, IPv6 compressed, IPv4-mapped as ::ffff:a.b.c.d),
    or None when the value is empty or not an IP address."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    text = text.split("%", 1)[0]  # an IPv6 zone index is not part of the address
    if "/" in text:  # inet may carry a prefix length
        text = text.split("/", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


def canonical_time(value: Any) -> str | None:
    """The UTC instant with microseconds, as ISO text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    return str(value)


def canonical(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed fields of an event in canonical form."""
    result: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = fields.get(name)
        if name in _ID_FIELDS:
            result[name] = None if value is None else int(value)
        elif name == "occurred_at":
            result[name] = canonical_time(value)
        elif name in _TEXT_FIELDS:
            result[name] = clean_text(value or "")
        elif name == "client_address":
            result[name] = normalize_address(value)
        else:  # changes, data
            result[name] = jsonable(value if value is not None else {})
    return result


def canonical_text(fields: Mapping[str, Any], prev_hash: str) -> str:
    """The exact text that is hashed (shown by the verify command when asked to explain)."""
    payload = canonical(fields)
    payload["prev_hash"] = prev_hash
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def digest(fields: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of the event's canonical fields chained to the previous event's hash."""
    return hashlib.sha256(canonical_text(fields, prev_hash).encode("utf-8")).hexdigest()
