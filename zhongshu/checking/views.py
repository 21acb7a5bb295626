"""The dictionary pages of 系统管理 › 校核词典: list and search each dictionary (shipped and own entries),
add, edit, disable and enable entries, import and export CSV, the change history, and the statistics of
approved documents. Views only call the selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zhongshu.core import authz
from zhongshu.core.exceptions import ApplicationError, NotFound

from . import dictionaries as dicts
from . import forms, selectors, services
from . import permissions as perms
from .models import Dictionary

STATUS_CHOICES = [("", "全部"), ("own", "本单位增加或修改的"), ("disabled", "已停用的")]
PAGE_SIZE = 50


def _spec(code: str) -> dicts.Spec:
    try:
        return dicts.spec(code)
    except KeyError:
        raise Http404("没有这个词典。") from None


def _list_url(code: str) -> str:
    return reverse("checking:dictionary_of", args=[code])


@login_required
def dictionary(request: HttpRequest, code: str = "w1") -> HttpResponse:
    actor = request.user
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(code)
    query = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    rows = selectors.dictionary_rows(actor, code, query=query, status=status)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "spec": spec,
        "tabs": [(choice.value, choice.label) for choice in Dictionary],
        "headers": [spec.labels[column] for column in spec.columns],
        "rows": page_obj.object_list,
        "page_obj": page_obj,
        "total": len(rows),
        "query": query,
        "status": status,
        "status_choices": STATUS_CHOICES,
        "history": [_history_row(spec, event) for event in selectors.history(actor, code)],
        "stats": selectors.stats_row(),
        "can_rebuild": authz.can(actor, perms.STATS_REBUILD),
    }
    return render(request, "checking/dictionary.html", context)


VERBS = {"added": "增加", "updated": "修改", "disabled": "停用", "enabled": "启用"}


def _history_row(spec: dicts.Spec, event: Any) -> dict[str, Any]:
    """An audit event of the dictionary for the change log: Chinese column names, empty-to-empty left out."""
    changes = [
        (spec.labels.get(column, "启用" if column == "active" else column), pair[0], pair[1])
        for column, pair in event.changes.items()
        if (pair[0] or "") != (pair[1] or "")
    ]
    verb = VERBS.get(event.verb.rsplit(".", 1)[-1], event.verb)
    return {"event": event, "verb": verb, "changes": changes}


def _entry_form_page(
    request: HttpRequest, spec: dicts.Spec, form: forms.EntryForm, title: str, status: int = 200
) -> HttpResponse:
    return render(request, "checking/entry_form.html", {"spec": spec, "form": form, "title": title}, status=status)


def _save(
    request: HttpRequest, spec: dicts.Spec, form: forms.EntryForm, entry_id: int | None, initial: dict[str, str]
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    values = {**initial, **{k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}}
    try:
        services.entry_save(actor=request.user, dictionary=spec.code, values=values, entry_id=entry_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        exc.add_to_form(form)
        return None
    messages.success(request, "词条已保存，检查时立即生效。")
    return redirect(_list_url(spec.code))


@login_required
def entry_create(request: HttpRequest, code: str) -> HttpResponse:
    authz.require(request.user, perms.DICTIONARY_MANAGE)
    spec = _spec(code)
    form = forms.EntryForm(spec, request.POST or None)
    if request.method == "POST" and (done := _save(request, spec, form, None, {})) is not None:
        return done
    return _entry_form_page(request, spec, form, f"增加{spec.label}词条", 400 if form.errors else 200)


@login_required
def entry_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    actor = request.user
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(code)
    entry = selectors.entry_get(actor, pk)
    if entry is None or entry.dictionary != code:
        raise Http404("未找到该词条。")
    initial = {column: str(entry.fields.get(column, "")) for column in spec.columns}
    locked = spec.key_columns if entry.shipped else ()
    form = forms.EntryForm(spec, request.POST or None, initial=initial, locked=locked)
    if request.method == "POST" and (done := _save(request, spec, form, entry.pk, initial)) is not None:
        return done
    return _entry_form_page(request, spec, form, f"修改{spec.label}词条", 400 if form.errors else 200)


@login_required
def shipped_edit(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Change a shipped entry: the change is kept as the installation's own row (the file stays as is)."""
    actor = request.user
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(code)
    shipped = dicts.shipped_by_key(code).get(key)
    if shipped is None:
        raise Http404("未找到该内置词条。")
    existing = next((row for row in selectors.dictionary_rows(actor, code) if row["key"] == key), None)
    if existing is not None and existing["entry"] is not None:
        return redirect("checking:entry_edit", code=code, pk=existing["entry"].pk)
    form = forms.EntryForm(spec, request.POST or None, initial=dict(shipped), locked=spec.key_columns)
    if request.method == "POST" and (done := _save(request, spec, form, None, dict(shipped))) is not None:
        return done
    return _entry_form_page(request, spec, form, f"修改内置{spec.label}词条", 400 if form.errors else 200)


@login_required
@require_POST
def entry_active(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    _spec(code)
    active = request.POST.get("active") == "1"
    try:
        services.entry_set_active(actor=request.user, entry_id=pk, active=active)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "词条已启用。" if active else "词条已停用，检查时不再使用。")
    return redirect(_list_url(code))


@login_required
@require_POST
def shipped_disable(request: HttpRequest, code: str, key: str) -> HttpResponse:
    _spec(code)
    try:
        services.shipped_override(actor=request.user, dictionary=code, key=key, active=False)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "内置词条已停用，检查时不再使用。")
    return redirect(_list_url(code))


@login_required
def import_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = request.user
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(code)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result: services.ImportResult | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_IMPORT_BYTES:
            form.add_error("file", "文件过大：导入文件不能超过 2 MB。")
        else:
            try:
                result = services.import_csv(
                    actor=actor, dictionary=code, data=upload.read(), dry_run=form.cleaned_data["dry_run"]
                )
            except ApplicationError as exc:
                exc.add_to_form(form)
    status = 400 if form.errors or (result is not None and not result.ok) else 200
    context = {"spec": spec, "form": form, "result": result, "columns": spec.columns, "labels": spec.labels}
    return render(request, "checking/import.html", context, status=status)


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    spec = _spec(code)
    content = services.export_csv(actor=request.user, dictionary=code)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"{spec.label}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return response


@login_required
@require_POST
def stats_rebuild(request: HttpRequest) -> HttpResponse:
    summary = services.stats_rebuild(actor=request.user)
    messages.success(request, summary)
    back = request.POST.get("back", "")
    return redirect(_list_url(back if back in dicts.SPECS else "w1"))
