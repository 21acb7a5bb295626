"""Shared pieces of the apps' API schemas."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import model_validator


class InputSchema(Schema):
    """Base of request bodies: only a JSON object is accepted. (ninja's Schema reads attributes of any
    object, so a JSON string body would otherwise be taken field by field from str's methods.)"""

    @model_validator(mode="before")
    @classmethod
    def _object_only(cls, data: Any) -> Any:
        payload = getattr(data, "_obj", data)  # ninja wraps the parsed body in a DjangoGetter
        if not isinstance(payload, dict):
            raise ValueError("请求体应为 JSON 对象")
        return data
