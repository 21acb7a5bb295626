"""The demo district, 示范区: its units, about 300 people and one demo account per role.

`load_demo()` is called by `zhongshu init --demo` (only on a new database); later modules add their own demo
data after it. Everything is fictional; names are drawn from a seeded random generator, so every demo
database is the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhongshu.audit import services as audit
from zhongshu.core import clock
from zhongshu.core.exceptions import ApplicationError

from .choices import Role, UnitKind
from .models import Delegation, Person, RoleGrant, Unit
from .services import PERSON_FIELDS, UNIT_FIELDS

DEMO_PASSWORD = "zhongshu-demo"  # noqa: S105 — the published password of the demo accounts
SEED = 20261129

SECTIONS = [
    ("mishu-ke", "秘书科"),
    ("ducha-ke", "督查科"),
    ("xinxi-ke", "信息科"),
    ("zonghe-ke", "综合科"),
    ("zhiban-shi", "总值班室"),
    ("huiwu-ke", "会务科"),
]
SECTION_ROLES = {
    "mishu-ke": Role.SECRETARY,
    "ducha-ke": Role.SUPERVISOR,
    "xinxi-ke": Role.INFO_OFFICER,
    "zonghe-ke": Role.ASSESSOR,
    "zhiban-shi": Role.DUTY_OFFICER,
    "huiwu-ke": Role.MEETING_OFFICER,
}
DEPARTMENTS = [
    ("fagaiwei", "示范区发展和改革委员会", "区发展改革委"),
    ("jiaowei", "示范区教育委员会", "区教委"),
    ("kewei", "示范区科学技术委员会", "区科委"),
    ("jingxin", "示范区经济和信息化局", "区经济信息化局"),
    ("gongan", "示范区公安分局", "区公安分局"),
    ("minzheng", "示范区民政局", "区民政局"),
    ("sifa", "示范区司法局", "区司法局"),
    ("caizheng", "示范区财政局", "区财政局"),
    ("renshe", "示范区人力资源和社会保障局", "区人力社保局"),
    ("guihua", "示范区规划和自然资源分局", "区规划自然资源分局"),
    ("shengtai", "示范区生态环境局", "区生态环境局"),
    ("zhujian", "示范区住房和城乡建设委员会", "区住房城乡建委"),
    ("chengguanwei", "示范区城市管理委员会", "区城管委"),
    ("jiaotong", "示范区交通局", "区交通局"),
    ("shuiwu", "示范区水务局", "区水务局"),
    ("nongye", "示范区农业农村局", "区农业农村局"),
    ("shangwu", "示范区商务局", "区商务局"),
    ("wenlv", "示范区文化和旅游局", "区文化旅游局"),
    ("weijian", "示范区卫生健康委员会", "区卫生健康委"),
    ("tuiyi", "示范区退役军人事务局", "区退役军人局"),
    ("yingji", "示范区应急管理局", "区应急局"),
    ("shenji", "示范区审计局", "区审计局"),
    ("guozi", "示范区人民政府国有资产监督管理委员会", "区国资委"),
    ("shichang", "示范区市场监督管理局", "区市场监管局"),
    ("tiyu", "示范区体育局", "区体育局"),
    ("tongji", "示范区统计局", "区统计局"),
    ("yibao", "示范区医疗保障局", "区医保局"),
    ("yuanlin", "示范区园林绿化局", "区园林绿化局"),
    ("zhengwu", "示范区政务服务管理局", "区政务服务局"),
    ("xinfang", "示范区信访办公室", "区信访办"),
    ("jinrong", "示范区金融服务办公室", "区金融办"),
    ("xiaofang", "示范区消防救援支队", "区消防救援支队"),
    ("minzong", "示范区民族宗教事务办公室", "区民族宗教办"),
    ("renfang", "示范区人民防空办公室", "区人防办"),
    ("zhifa", "示范区城市管理综合行政执法局", "区城管执法局"),
    ("touzi", "示范区投资促进局", "区投资促进局"),
    ("qixiang", "示范区气象局", "区气象局"),
    ("shuiwuju", "国家税务总局示范区税务局", "区税务局"),
    ("rongmeiti", "示范区融媒体中心", "区融媒体中心"),
    ("canlian", "示范区残疾人联合会", "区残联"),
]
TOWNS = [
    ("chengguan-jd", "城关街道", UnitKind.STREET),
    ("dongfeng-jd", "东风街道", UnitKind.STREET),
    ("xinhua-jd", "新华街道", UnitKind.STREET),
    ("qingshan", "青山镇", UnitKind.TOWN),
    ("hexi", "河西镇", UnitKind.TOWN),
    ("liulin", "柳林镇", UnitKind.TOWN),
    ("taoyuan", "桃源镇", UnitKind.TOWN),
    ("shiqiao", "石桥镇", UnitKind.TOWN),
    ("beihu", "北湖镇", UnitKind.TOWN),
    ("nangang", "南港镇", UnitKind.TOWN),
]
PEERS = [
    ("quwei-ban", "中共示范区委员会办公室", "区委办公室"),
    ("renda-ban", "示范区人民代表大会常务委员会办公室", "区人大常委会办公室"),
    ("zhengxie-ban", "中国人民政治协商会议示范区委员会办公室", "区政协办公室"),
]
UPPER = [("shizhengfu-bgt", "市人民政府办公厅", "市政府办公厅")]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 鑫 斌 宁 颖 建华 建国 志强 志明 海燕 晓东 "
    "晓梅 立新 卫东 振华 永刚 国庆 秀兰 淑珍 丽娟 玉兰 春梅 文博 思远 佳琪 俊杰 子涵 欣怡 雨轩 浩然 "
    "宏伟 建军 红梅 秀英 桂芳 亚楠 雪梅 文静 学军 德明 海涛 晓峰 志刚 少华 运涛 丽华 国栋 明辉 慧敏 "
    "新民 建平 晓燕 春生 玉梅 长青 东升 瑞华 凤英 晓光 金凤 立军 丽萍 卫国 永红 云飞 宇航 梦瑶 一鸣 "
    "婧怡 俊峰 晨曦 海峰 琳 博 昊 蕾"
)
GIVEN_NAMES = tuple(_GIVEN.split())


@dataclass(frozen=True)
class _Account:
    username: str
    title: str
    roles: tuple[Role, ...] = ()


def _head_title(short_name: str) -> str:
    for suffix, title in (
        ("支队", "支队长"),
        ("中心", "主任"),
        ("残联", "理事长"),
        ("委", "主任"),
        ("办", "主任"),
    ):
        if short_name.endswith(suffix):
            return title
    return "局长"


def load_demo(*, password: str = DEMO_PASSWORD) -> dict[str, int]:
    """Fill a new database with the demo district 示范区 and return the counts of what was created.
    Refuses when units already exist (demo accounts belong only in demo databases)."""
    if Unit.objects.exists():
        raise ApplicationError("数据库中已有单位：演示数据只能载入新建的空数据库。")
    rng = random.Random(SEED)  # noqa: S311 — fictional names, not security
    hashed = make_password(password)
    now = clock.now()
    order = iter(range(10, 10_000, 10))
    units: list[Unit] = []
    staff: list[tuple[Unit, list[_Account]]] = []

    with transaction.atomic():

        def unit(code: str, full_name: str, short_name: str, kind: str, parent: Unit | None = None) -> Unit:
            created = Unit.objects.create(
                code=code,
                full_name=full_name,
                short_name=short_name,
                kind=kind,
                parent=parent,
                display_order=next(order),
                created_at=now,
                updated_at=now,
            )
            units.append(created)
            return created

        leadership = unit("lingdao", "示范区人民政府领导", "区领导", UnitKind.LEADERSHIP)
        staff.append(
            (
                leadership,
                [
                    _Account("quzhang", "区长", (Role.LEADER,)),
                    _Account("fuquzhang", "副区长", (Role.LEADER,)),
                    _Account("lingdao-01", "常务副区长", (Role.LEADER,)),
                    _Account("lingdao-02", "副区长", (Role.LEADER,)),
                    _Account("lingdao-03", "副区长", (Role.LEADER,)),
                    _Account("lingdao-04", "副区长", (Role.LEADER,)),
                ],
            )
        )
        office = unit("zfb", "示范区人民政府办公室", "区政府办", UnitKind.OFFICE)
        staff.append(
            (
                office,
                [
                    _Account("zhuren", "办公室主任", (Role.DIRECTOR,)),
                    _Account("zfb-01", "办公室副主任", (Role.DIRECTOR,)),
                    _Account("zfb-02", "办公室副主任", (Role.DIRECTOR,)),
                    _Account("zfb-03", "办公室副主任", (Role.DIRECTOR,)),
                ],
            )
        )
        demo_in_section = {
            "mishu-ke": _Account("wenmi", "秘书科科员", (Role.SECRETARY,)),
            "ducha-ke": _Account("ducha", "督查科科员", (Role.SUPERVISOR,)),
            "xinxi-ke": _Account("xinxi", "信息科科员", (Role.INFO_OFFICER,)),
            "zhiban-shi": _Account("zhiban", "总值班室值班员", (Role.DUTY_OFFICER,)),
            "huiwu-ke": _Account("huiwu", "会务科科员", (Role.MEETING_OFFICER,)),
        }
        for code, name in SECTIONS:
            section = unit(code, f"示范区人民政府办公室{name}", name, UnitKind.SECTION, office)
            role = SECTION_ROLES[code]
            head = "主任" if name.endswith("室") else "科长"
            if code == "zonghe-ke":
                accounts = [
                    _Account(f"{code}-01", f"{name}{head}", (role,)),
                    _Account("kaohe", f"{name}副{head}", (Role.ASSESSOR,)),
                    _Account("admin", f"{name}科员", (Role.ADMIN,)),
                    _Account(f"{code}-02", f"{name}科员", (role,)),
                ]
            else:
                accounts = [
                    _Account(f"{code}-01", f"{name}{head}", (role,)),
                    _Account(f"{code}-02", f"{name}副{head}", (role,)),
                    demo_in_section[code],
                    _Account(f"{code}-03", f"{name}科员", (role,)),
                ]
            staff.append((section, accounts))

        for code, full_name, short_name in DEPARTMENTS:
            department = unit(code, full_name, short_name, UnitKind.DEPARTMENT)
            head = _head_title(short_name)
            liaison = f"ll-{code}" if code in {"jiaowei", "zhujian"} else f"{code}-03"
            second = rng.random() < 0.5
            staff.append(
                (
                    department,
                    [
                        _Account(f"{code}-01", head),
                        _Account(f"{code}-02", f"副{head}"),
                        _Account(liaison, "办公室主任", (Role.LIAISON,)),
                        _Account(f"{code}-04", "办公室科员", (Role.LIAISON,) if second else ()),
                        _Account(f"{code}-05", "科员"),
                    ],
                )
            )

        for code, name, kind in TOWNS:
            full_name = f"示范区{name}人民政府" if kind == UnitKind.TOWN else f"示范区{name}办事处"
            town = unit(code, full_name, name, kind)
            head = "镇长" if kind == UnitKind.TOWN else "街道办事处主任"
            deputy = "副镇长" if kind == UnitKind.TOWN else "街道办事处副主任"
            second = rng.random() < 0.5
            staff.append(
                (
                    town,
                    [
                        _Account(f"{code}-01", head),
                        _Account(f"{code}-02", deputy),
                        _Account(f"{code}-03", deputy),
                        _Account(f"{code}-04", "党政办公室主任", (Role.LIAISON,)),
                        _Account(f"{code}-05", "党政办公室科员", (Role.LIAISON,) if second else ()),
                        _Account(f"{code}-06", "科员"),
                    ],
                )
            )

        for code, full_name, short_name in PEERS:
            peer = unit(code, full_name, short_name, UnitKind.PEER)
            staff.append((peer, [_Account(f"{code}-01", "秘书科科长"), _Account(f"{code}-02", "秘书科科员")]))
        for code, full_name, short_name in UPPER:
            upper = unit(code, full_name, short_name, UnitKind.UPPER)
            staff.append((upper, [_Account(f"{code}-01", "秘书处处长"), _Account(f"{code}-02", "秘书处干部")]))

        people: list[Person] = []
        roles_of: dict[str, tuple[Unit, tuple[Role, ...]]] = {}
        for owner, accounts in staff:
            for position, account in enumerate(accounts, start=1):
                people.append(
                    Person(
                        username=account.username,
                        password=hashed,
                        name=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
                        title=account.title,
                        unit=owner,
                        phone=f"69{rng.randint(100000, 999999)}",
                        display_order=position * 10,
                        date_joined=now,
                    )
                )
                roles_of[account.username] = (owner, account.roles)
        Person.objects.bulk_create(people)
        people = list(Person.objects.select_related("unit").order_by("pk"))
        by_username = {person.username: person for person in people}

        grants = [
            RoleGrant(person=by_username[username], role=role, unit=owner, created_at=now)
            for username, (owner, roles) in roles_of.items()
            for role in roles
        ]
        RoleGrant.objects.bulk_create(grants)
        delegation = Delegation.objects.create(
            principal=by_username["quzhang"],
            deputy=by_username["wenmi"],
            note="文秘代区长登记批示",
            created_at=now,
        )

        # Each deputy leader is in charge of a share of the departments, towns and streets (分管).
        deputies = [by_username[name] for name in ("lingdao-01", "fuquzhang", "lingdao-02", "lingdao-03", "lingdao-04")]
        line_units = [u for u in units if u.kind in {UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET}]
        for position, line_unit in enumerate(line_units):
            line_unit.leader_in_charge = deputies[position % len(deputies)]
        Unit.objects.bulk_update(line_units, ["leader_in_charge"])

        source = {"source": "demo"}
        for created in units:
            audit.record(
                actor=None,
                verb="org.unit.created",
                target=created,
                changes=audit.diff({}, audit.snapshot(created, UNIT_FIELDS)),
                data=source,
            )
        roles_by_person: dict[int, list[str]] = {}
        for grant in grants:
            roles_by_person.setdefault(grant.person.pk, []).append(grant.role)
        for person in people:  # the roles go with the creation event: one event per demo person
            audit.record(
                actor=None,
                verb="org.person.created",
                target=person,
                changes=audit.diff({}, audit.snapshot(person, PERSON_FIELDS)),
                data={**source, "password_set": True, "roles": roles_by_person.get(person.pk, [])},
            )
        audit.record(
            actor=None,
            verb="org.delegation.created",
            target=delegation.principal,
            data={
                **source,
                "delegation_id": delegation.pk,
                "deputy_id": delegation.deputy_id,
                "note": delegation.note,
            },
        )
    return {"units": len(units), "people": len(people), "grants": len(grants), "delegations": 1}
