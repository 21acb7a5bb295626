"""The signed-in person's inbox over the API: the same selectors and services as the 消息中心 page."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router, Schema

from zhongshu.core import authz
from zhongshu.core.exceptions import NotFound, ValidationFailed
from zhongshu.org.models import Person

from . import kinds, selectors, services
from . import permissions as perms
from .models import Message

router = Router(tags=["消息"])
PAGE_SIZE = 20


class MessageOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: Message) -> str:
        return kinds.label(obj.kind)


class InboxOut(Schema):
    count: int
    unread: int
    page: int
    pages: int
    items: list[MessageOut]


class ReadAllOut(Schema):
    count: int


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):
        raise NotFound()
    return user


@router.get("/inbox", response=InboxOut, summary="本人消息（unread=true 只看未读；每页 20 条）")
def inbox(request: HttpRequest, unread: bool = False, page: int = 1) -> dict[str, object]:
    actor = _actor(request)
    authz.require(actor, perms.INBOX_VIEW)
    if page < 1:
        raise ValidationFailed({"page": "页码应从 1 开始。"})
    page_obj = Paginator(selectors.inbox_list(actor, unread_only=unread), PAGE_SIZE).get_page(page)
    return {
        "count": page_obj.paginator.count,
        "unread": selectors.unread_count(actor),
        "page": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "items": list(page_obj.object_list),
    }


@router.post("/inbox/read-all", response=ReadAllOut, summary="全部标为已读")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"count": services.mark_all_read(actor=_actor(request))}


@router.post("/inbox/{message_id}/read", response=MessageOut, summary="标为已读")
def read(request: HttpRequest, message_id: int) -> Message:
    return services.mark_read(actor=_actor(request), message=message_id)
