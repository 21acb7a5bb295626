"""Pages of the administration area (单位, 人员, 导入) and the directory (通讯录). Views only call the
selectors and services; management buttons appear only for those the policy allows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError, NotFound
from zhongshu.core.htmx import render_page_or_partial

from . import forms, importing, selectors, services
from . import permissions as perms
from .filters import PersonFilter, UnitFilter
from .models import Delegation, Person, RoleGrant, Unit

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):  # login_required runs first; this narrows the type
        raise Http404
    return user


def _found(fetch: Callable[[], Any]) -> Any:
    try:
        return fetch()
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _choices(form: dj_forms.Form, name: str) -> dj_forms.ModelChoiceField:
    field = form.fields[name]
    if not isinstance(field, dj_forms.ModelChoiceField):
        raise TypeError(name)
    return field


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=importing.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return response


def _querystring(request: HttpRequest, drop: str = "page") -> str:
    query = request.GET.copy()
    query.pop(drop, None)
    return query.urlencode()


# Units ---------------------------------------------------------------------------------------------


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.UNIT_VIEW)
    rows = selectors.unit_tree(actor, request.GET)
    context = {
        "rows": rows,
        "filter_form": UnitFilter(request.GET or None, queryset=Unit.objects.none()).form,
        "can_manage": authz.can(actor, perms.UNIT_MANAGE),
        "query": _querystring(request),
    }
    return render_page_or_partial(request, "org/unit_list.html", "org/_unit_table.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    unit: Unit = _found(lambda: selectors.access_unit(actor, pk))
    people = selectors.people_visible_to(actor).filter(unit=unit).order_by("display_order", "id")
    context = {
        "unit": unit,
        "former_names": list(selectors.unit_former_names(unit)),
        "children": list(selectors.unit_children(unit)),
        "people": list(people),
        "merged_into": Unit.objects.filter(pk=unit.merged_into_id).first() if unit.merged_into_id else None,
        "can_manage": authz.can(actor, perms.UNIT_MANAGE, unit),
        "can_view_people": authz.scope_of(actor, perms.PERSON_VIEW) is not None,
    }
    return render(request, "org/unit_detail.html", context)


def _unit_form_page(
    request: HttpRequest,
    *,
    title: str,
    form: dj_forms.Form,
    unit: Unit | None = None,
    intro: str = "",
    submit: str = "保存",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "org/form.html",
        {
            "title": title,
            "form": form,
            "object": unit,
            "intro": intro,
            "submit": submit,
            "cancel_url": unit.get_absolute_url() if unit else reverse("org:unit_list"),
        },
        status=status,
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.UNIT_MANAGE)
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = forms.UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=actor,
                code=data["code"],
                full_name=data["full_name"],
                short_name=data["short_name"],
                kind=data["kind"],
                parent_id=data["parent"].pk if data["parent"] else None,
                display_order=data["display_order"],
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, f"已创建单位“{unit.full_name}”。")
            return redirect("org:unit_detail", pk=unit.pk)
    return _unit_form_page(request, title="新建单位", form=form, status=400 if form.errors else 200)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    unit: Unit = _found(lambda: selectors.access_unit(actor, pk))
    authz.require(actor, perms.UNIT_MANAGE, unit)
    initial = {
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "display_order": unit.display_order,
        "leader_in_charge": unit.leader_in_charge_id,
    }
    form = forms.UnitEditForm(request.POST or None, initial=initial)
    _choices(form, "parent").queryset = Unit.objects.filter(active=True).exclude(pk=unit.pk).order_by("display_order")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # both changes or neither
                services.unit_update(
                    actor=actor,
                    unit_id=unit.pk,
                    code=data["code"],
                    kind=data["kind"],
                    parent_id=data["parent"].pk if data["parent"] else None,
                    display_order=data["display_order"],
                )
                leader = data["leader_in_charge"]
                services.unit_set_leader_in_charge(
                    actor=actor, unit_id=unit.pk, leader_id=leader.pk if leader else None
                )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "已保存。")
            return redirect("org:unit_detail", pk=unit.pk)
    return _unit_form_page(
        request,
        title=f"修改单位：{unit.full_name}",
        form=form,
        unit=unit,
        intro="单位名称的变更请使用“更名”，以便保留曾用名。",
        status=400 if form.errors else 200,
    )


@login_required
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    unit: Unit = _found(lambda: selectors.access_unit(actor, pk))
    authz.require(actor, perms.UNIT_MANAGE, unit)
    form = forms.UnitRenameForm(
        request.POST or None, initial={"full_name": unit.full_name, "short_name": unit.short_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                actor=actor,
                unit_id=unit.pk,
                full_name=form.cleaned_data["full_name"],
                short_name=form.cleaned_data["short_name"],
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "已更名，原名称已记入曾用名。")
            return redirect("org:unit_detail", pk=unit.pk)
    return _unit_form_page(
        request,
        title=f"单位更名：{unit.full_name}",
        form=form,
        unit=unit,
        intro=f"现名称“{unit.full_name}”（简称“{unit.short_name}”）将记入曾用名，使用至今天。",
        submit="更名",
        status=400 if form.errors else 200,
    )


@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    unit: Unit = _found(lambda: selectors.access_unit(actor, pk))
    authz.require(actor, perms.UNIT_MANAGE, unit)
    form = forms.UnitMergeForm(request.POST or None)
    _choices(form, "target").queryset = Unit.objects.filter(active=True).exclude(pk=unit.pk).order_by("display_order")
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_merge(
                actor=actor,
                source_id=unit.pk,
                target_id=form.cleaned_data["target"].pk,
                move_people=form.cleaned_data["move_people"],
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, f"“{unit.full_name}”已并入“{form.cleaned_data['target'].full_name}”。")
            return redirect("org:unit_detail", pk=unit.pk)
    return _unit_form_page(
        request,
        title=f"单位合并：{unit.full_name}",
        form=form,
        unit=unit,
        intro="合并后本单位停用，不能再接收新的工作；历史记录保留。",
        submit="合并",
        status=400 if form.errors else 200,
    )


def _confirm(
    request: HttpRequest,
    *,
    title: str,
    text: str,
    submit: str,
    back: str,
    action: Callable[[], Any],
    done: str,
    danger: bool = False,
) -> HttpResponse:
    """A confirmation page for a one-click change: GET asks, POST does; a refusal stays on the page."""
    error = ""
    if request.method == "POST":
        try:
            action()
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, done)
            return redirect(back)
    context = {"title": title, "text": text, "submit": submit, "back": back, "error": error, "danger": danger}
    return render(request, "org/confirm.html", context, status=400 if error else 200)


@login_required
def unit_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    unit: Unit = _found(lambda: selectors.access_unit(actor, pk))
    authz.require(actor, perms.UNIT_MANAGE, unit)
    return _confirm(
        request,
        title=f"停用单位：{unit.full_name}",
        text="停用后该单位不能再接收新的工作，历史记录保留；单位还有启用的人员或下属单位时不能停用。",
        submit="停用",
        back=unit.get_absolute_url(),
        action=lambda: services.unit_deactivate(actor=actor, unit_id=unit.pk),
        done=f"已停用“{unit.full_name}”。",
        danger=True,
    )


@login_required
def unit_activate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    unit: Unit = _found(lambda: selectors.access_unit(actor, pk))
    authz.require(actor, perms.UNIT_MANAGE, unit)
    return _confirm(
        request,
        title=f"启用单位：{unit.full_name}",
        text="启用后该单位可以重新接收工作。",
        submit="启用",
        back=unit.get_absolute_url(),
        action=lambda: services.unit_activate(actor=actor, unit_id=unit.pk),
        done=f"已启用“{unit.full_name}”。",
    )


@login_required
def export_units(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.UNIT_VIEW)
    content = importing.export_workbook(unit_rows=selectors.unit_tree(actor, request.GET))
    return _xlsx(content, f"单位-{clock.today():%Y%m%d}.xlsx")


# People --------------------------------------------------------------------------------------------


def _people_page(request: HttpRequest, *, directory: bool) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.PERSON_VIEW)
    filters: QueryDict = request.GET.copy()
    if directory:
        filters["active"] = "1"
    people = selectors.person_list(actor, filters)
    page_obj = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    filter_form = PersonFilter(request.GET or None, queryset=Person.objects.none()).form
    if directory:
        del filter_form.fields["active"]
    scope = authz.scope_of(actor, perms.PERSON_VIEW)
    if isinstance(scope, set):  # a liaison picks among the units they may see
        _choices(filter_form, "unit").queryset = Unit.objects.filter(pk__in=scope).order_by("display_order")
    context = {
        "page_obj": page_obj,
        "people": page_obj.object_list,
        "filter_form": filter_form,
        "directory": directory,
        "can_manage": not directory and authz.can(actor, perms.PERSON_MANAGE),
        "query": _querystring(request),
        "list_url": "org:directory" if directory else "org:person_list",
    }
    return render_page_or_partial(request, "org/person_list.html", "org/_person_table.html", context)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    return _people_page(request, directory=False)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    return _people_page(request, directory=True)


def _render_person(
    request: HttpRequest,
    person: Person,
    *,
    grant_form: forms.RoleGrantForm | None = None,
    delegation_form: forms.DelegationForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    can_roles = authz.can(actor, perms.ROLE_MANAGE, person)
    delegations = selectors.person_delegations(person)
    if can_roles and delegation_form is None:
        delegation_form = forms.DelegationForm()
    if delegation_form is not None:
        _choices(delegation_form, "deputy").queryset = (
            Person.objects.filter(is_active=True)
            .exclude(pk=person.pk)
            .select_related("unit")
            .order_by("unit__display_order", "display_order", "id")
        )
    context = {
        "person": person,
        "grants": list(selectors.person_grants(person)),
        "acts_for": delegations["acts_for"],
        "deputies": delegations["deputies"],
        "can_manage": authz.can(actor, perms.PERSON_MANAGE, person),
        "can_roles": can_roles,
        "grant_form": grant_form or (forms.RoleGrantForm() if can_roles else None),
        "delegation_form": delegation_form if can_roles else None,
        "error": error,
        "is_self": actor.pk == person.pk,
    }
    return render(request, "org/person_detail.html", context, status=status)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    return _render_person(request, person)


def _person_form_page(
    request: HttpRequest, *, title: str, form: dj_forms.Form, person: Person | None = None, intro: str = ""
) -> HttpResponse:
    return render(
        request,
        "org/form.html",
        {
            "title": title,
            "form": form,
            "object": person,
            "intro": intro,
            "submit": "保存",
            "cancel_url": person.get_absolute_url() if person else reverse("org:person_list"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.PERSON_MANAGE)
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit") else None
    form = forms.PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                actor=actor,
                username=data["username"],
                name=data["name"],
                unit_id=data["unit"].pk,
                title=data["title"],
                phone=data["phone"],
                display_order=data["display_order"] or 0,
                password=data["password"] or None,
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, f"已创建人员“{person.name}”。")
            return redirect("org:person_detail", pk=person.pk)
    return _person_form_page(request, title="新建人员", form=form)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    authz.require(actor, perms.PERSON_MANAGE, person)
    initial = {
        "name": person.name,
        "title": person.title,
        "unit": person.unit_id,
        "phone": person.phone,
        "display_order": person.display_order,
    }
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                actor=actor,
                person_id=person.pk,
                name=data["name"],
                title=data["title"],
                unit_id=data["unit"].pk,
                phone=data["phone"],
                display_order=data["display_order"] or 0,
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "已保存。")
            return redirect("org:person_detail", pk=person.pk)
    return _person_form_page(request, title=f"修改人员：{person.name}", form=form, person=person)


@login_required
def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    authz.require(actor, perms.PERSON_MANAGE, person)
    form = forms.PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_set_password(actor=actor, person_id=person.pk, password=form.cleaned_data["password"])
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, f"已为{person.name}设置新密码。")
            return redirect("org:person_detail", pk=person.pk)
    return _person_form_page(
        request,
        title=f"设置密码：{person.name}",
        form=form,
        person=person,
        intro="请把新密码当面或通过安全渠道告知本人，并提醒其登录后自行修改。",
    )


@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    authz.require(actor, perms.PERSON_MANAGE, person)
    return _confirm(
        request,
        title=f"停用账号：{person.name}",
        text="停用后此人不能再登录，其经办的记录保留。",
        submit="停用",
        back=person.get_absolute_url(),
        action=lambda: services.person_deactivate(actor=actor, person_id=person.pk),
        done=f"已停用{person.name}的账号。",
        danger=True,
    )


@login_required
def person_activate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    authz.require(actor, perms.PERSON_MANAGE, person)
    return _confirm(
        request,
        title=f"启用账号：{person.name}",
        text="启用后此人可以重新登录。",
        submit="启用",
        back=person.get_absolute_url(),
        action=lambda: services.person_activate(actor=actor, person_id=person.pk),
        done=f"已启用{person.name}的账号。",
    )


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    authz.require(actor, perms.ROLE_MANAGE, person)
    form = forms.RoleGrantForm(request.POST)
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            services.role_grant(
                actor=actor,
                person_id=person.pk,
                role=form.cleaned_data["role"],
                unit_id=unit.pk if unit else None,
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "已授予角色。")
            return redirect("org:person_detail", pk=person.pk)
    return _render_person(request, person, grant_form=form, status=400)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    authz.require(actor, perms.ROLE_MANAGE, person)
    if not RoleGrant.objects.filter(pk=grant_pk, person=person).exists():
        raise Http404
    try:
        services.role_revoke(actor=actor, grant_id=grant_pk)
    except ApplicationError as exc:
        return _render_person(request, person, error=exc.message, status=400)
    messages.success(request, "已撤销角色。")
    return redirect("org:person_detail", pk=person.pk)


@login_required
@require_POST
def delegation_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    authz.require(actor, perms.ROLE_MANAGE, person)
    form = forms.DelegationForm(request.POST)
    _choices(form, "deputy").queryset = Person.objects.filter(is_active=True).exclude(pk=person.pk)
    if form.is_valid():
        try:
            services.delegation_create(
                actor=actor,
                principal_id=person.pk,
                deputy_id=form.cleaned_data["deputy"].pk,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "已设立代理。")
            return redirect("org:person_detail", pk=person.pk)
    return _render_person(request, person, delegation_form=form, status=400)


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, pk: int, delegation_pk: int) -> HttpResponse:
    actor = _actor(request)
    person: Person = _found(lambda: selectors.access_person(actor, pk))
    delegation = Delegation.objects.filter(pk=delegation_pk).first()
    if delegation is None or person.pk not in {delegation.principal_id, delegation.deputy_id}:
        raise Http404
    try:
        services.delegation_revoke(actor=actor, delegation_id=delegation.pk)
    except ApplicationError as exc:
        return _render_person(request, person, error=exc.message, status=400)
    messages.success(request, "已撤销代理。")
    return redirect("org:person_detail", pk=person.pk)


@login_required
def export_people(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.PERSON_VIEW)
    content = importing.export_workbook(people=selectors.person_list(actor, request.GET))
    return _xlsx(content, f"人员-{clock.today():%Y%m%d}.xlsx")


# Import --------------------------------------------------------------------------------------------


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.ORG_IMPORT)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result: importing.ImportResult | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            form.add_error("file", f"文件过大（{upload.size / 1024 / 1024:.1f} MB）：导入文件不能超过 5 MB。")
        else:
            try:
                result = importing.import_workbook(
                    actor=actor,
                    data=upload.read(),
                    filename=upload.name or "",
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ApplicationError as exc:
                exc.add_to_form(form)
    status = 400 if form.errors or (result is not None and not result.ok) else 200
    return render(request, "org/import.html", {"form": form, "result": result}, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.ORG_IMPORT)
    return _xlsx(importing.template_workbook(), "单位和人员导入模板.xlsx")
