"""A year of 督查督办 in the demo district: about 400 items from every kind of source, each lived through the
services with the clock set to the moment each step happened (so the audit trail, the logs, the deadline
history, the ladder notices and the inboxes are real), and the reminder sweep run every working morning as
the worker would have run it.

`load_demo()` is called by `zhongshu init --demo` after the org app's loader. "Now" is the clock at load
time; the year ends there, with open items in every colour and work waiting for the demo accounts:
ll-jiaowei and ll-zhujian (待签收, 待反馈, 被退回, 即将到期, 已超期), ducha (待核查, 退办待处理, 延期待审批)
and quzhang (我批示的事项). Seeded: every demo database is the same for the same "now".

How the simulation works: each item's life is a generator that does one step through a service and yields
the moment of its next step; a queue runs all steps of all items in time order with the clock pinned there
(`pinned_clock`), so audit events follow each other in time as they would have. A step planned after "now"
never happens: recent items simply stay open.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import F

from zhongshu.core import clock
from zhongshu.core.exceptions import ApplicationError, InvalidTransition
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, Unit

from . import services
from .choices import FeedbackCycle, Rating, SourceType, Status, Urgency
from .models import Entry, Item, Notice

SEED: Final = 20261130
DAYS: Final = 365
BACKGROUND_ITEMS: Final = 290
"""Items of the year lived at random; about 60 more are planned (projects, splits) or staged for the demo accounts."""

FULL_SWEEP_WORKDAYS: Final = 5
"""The whole reminder sweep runs on the last working days only (their reminders are still unread); before
that, the sweep's signing rule and escalation ladder."""

Flow = Iterator[dt.datetime]
"""An item's life: each step done when resumed, yielding the moment of the next."""


# The clock ------------------------------------------------------------------------------------------------


@contextmanager
def pinned_clock(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Run the block with the whole installation's clock at `moment` (as ZHONGSHU_CLOCK does): services,
    model defaults, the audit trail and the inbox all read it. The previous setting is restored after."""
    missing = object()
    before = getattr(settings, "ZHONGSHU_CLOCK", missing)
    settings.ZHONGSHU_CLOCK = moment.isoformat()
    try:
        yield moment
    finally:
        if before is missing:
            del settings.ZHONGSHU_CLOCK
        else:
            settings.ZHONGSHU_CLOCK = before


# Words ------------------------------------------------------------------------------------------------------

ESTATES = (
    "阳光花园",
    "幸福里",
    "翠湖苑",
    "锦绣家园",
    "枫林湾",
    "和平新村",
    "金桥小区",
    "东湖名苑",
    "春晖园",
    "御景华庭",
    "滨江一号",
    "育才小区",
    "桂花园",
    "北湖新城",
    "纺织厂宿舍",
)
ROADS = ("建设路", "人民路", "解放大街", "滨河路", "迎宾大道", "文化路", "育才路", "工业园路", "新华街", "长青路")
SCHOOLS = ("区实验小学", "区第二中学", "城关中学", "新华小学", "河西中心小学", "区职业高中")
PEOPLE = ("王建国", "李秀英", "张立新", "刘海燕", "陈志明", "杨春梅", "赵卫东", "黄丽娟", "周晓东", "吴淑珍")


@dataclass(frozen=True)
class Topic:
    """A kind of matter the office tracks: its title and content (with placeholders), the lead unit and the
    usual co-operating units (unit codes; "@place" is the town or street where it happened)."""

    title: str
    content: str
    lead: str
    co: tuple[str, ...] = ()
    instruction: str = ""
    milestones: tuple[str, ...] = ()


TOPICS: Final[dict[str, tuple[Topic, ...]]] = {
    SourceType.LEADER_INSTRUCTION: (
        Topic(
            "关于{estate}居民反映学校周边上下学时段交通拥堵问题的来信",
            "{estate}居民联名来信反映，{school}周边上下学时段车辆乱停乱放，道路拥堵，存在安全隐患。",
            "jiaowei",
            ("jiaotong", "gongan"),
            "请区教委牵头，会同交通、公安部门实地调研，拿出切实可行的疏导方案，结果报我。",
        ),
        Topic(
            "关于{estate}老旧小区加装电梯推进缓慢的群众来信",
            "{place}{estate}居民来信反映，小区加装电梯意见征询已完成半年，至今未开工。",
            "zhujian",
            ("guihua", "@place"),
            "请区住房城乡建委认真研究，加快推进，及时回应群众关切。",
        ),
        Topic(
            "关于{road}沿街餐饮油烟扰民问题的信访件",
            "{road}沿街多家餐饮店油烟直排，周边居民多次投诉未果。",
            "shengtai",
            ("zhifa", "shichang"),
            "请区生态环境局会同城管执法部门依法查处，举一反三开展专项整治。",
        ),
        Topic(
            "关于{place}农村饮水安全问题的情况反映",
            "{place}部分村反映自来水时常停水，水质浑浊。",
            "shuiwu",
            ("weijian", "@place"),
            "请区水务局抓紧核实，确保群众饮水安全，一周内报处理结果。",
        ),
        Topic(
            "关于{estate}小区物业服务质量差的联名信",
            "{estate}业主联名反映物业公司服务缩水、公共收益不公开。",
            "zhujian",
            ("@place",),
            "请住房城乡建委督促物业企业限期整改，依法维护业主权益。",
        ),
        Topic(
            "关于全区中小学课后服务开展情况的专报",
            "区教委专报反映部分学校课后服务内容单一、师资不足。",
            "jiaowei",
            ("caizheng",),
            "课后服务是民生实事，请教委拿出提质方案，经费问题请财政局研究支持。",
        ),
        Topic(
            "关于冬季供暖保障工作的情况报告",
            "部分老旧小区供暖管网老化，去冬投诉集中。",
            "chengguanwei",
            ("zhujian",),
            "请区城管委高度重视，逐个小区排查，确保群众温暖过冬。",
        ),
        Topic(
            "关于{place}养老服务设施建设的调研报告",
            "调研发现{place}养老服务设施覆盖不足，助餐点偏少。",
            "minzheng",
            ("@place", "caizheng"),
            "请民政局会同属地研究落实，年内见到实效。",
        ),
        Topic(
            "关于企业反映工程款拖欠问题的来信",
            "区内一家建筑企业来信反映某政府投资项目工程款拖欠一年有余。",
            "zhujian",
            ("caizheng", "renshe"),
            "请住房城乡建委牵头核实，依法依规妥善解决，防止引发农民工讨薪。",
        ),
        Topic(
            "关于{road}道路破损影响出行的群众来信",
            "群众来信反映{road}多处路面坑洼，雨天积水严重。",
            "jiaotong",
            ("chengguanwei",),
            "请交通局尽快组织修复，答复来信群众。",
        ),
        Topic(
            "关于社区卫生服务中心就医排队时间长的情况反映",
            "群众反映部分社区卫生服务中心上午挂号排队超过一小时。",
            "weijian",
            ("yibao",),
            "请卫生健康委研究改进预约诊疗，提升基层服务能力。",
        ),
        Topic(
            "关于校外培训机构违规收费的举报信",
            "家长举报某校外培训机构超前收费、退费困难。",
            "jiaowei",
            ("shichang",),
            "请教委会同市场监管局依法查处，切实维护家长合法权益。",
        ),
    ),
    SourceType.MEETING_DECISION: (
        Topic(
            "研究制定优化营商环境若干措施",
            "会议议定：由区发展改革委牵头，起草优化营商环境若干措施。",
            "fagaiwei",
            ("zhengwu", "shichang"),
        ),
        Topic(
            "做好汛期防汛准备工作",
            "会议议定：汛前完成河道清淤、排水设施检修和物资储备。",
            "shuiwu",
            ("yingji", "@place"),
        ),
        Topic(
            "推进中小学校舍安全隐患排查整治",
            "会议议定：对全区中小学校舍开展一次全面安全排查，建立整改台账。",
            "jiaowei",
            ("zhujian", "yingji"),
        ),
        Topic(
            "落实城镇燃气安全专项整治",
            "会议议定：开展餐饮场所燃气安全专项检查，年底前完成老旧管网改造。",
            "chengguanwei",
            ("yingji", "shichang"),
        ),
        Topic(
            "加快{road}道路改造工程前期手续",
            "会议议定：{road}改造工程年内开工，相关部门并联审批。",
            "jiaotong",
            ("guihua", "caizheng"),
        ),
        Topic("做好高校毕业生就业服务工作", "会议议定：组织专场招聘会，落实就业见习岗位。", "renshe", ("jiaowei",)),
        Topic(
            "修订区级财政专项资金管理办法", "会议议定：修订专项资金管理办法，强化绩效评价。", "caizheng", ("shenji",)
        ),
        Topic("推进生活垃圾分类示范片区建设", "会议议定：在{place}建设垃圾分类示范片区。", "chengguanwei", ("@place",)),
    ),
    SourceType.INCOMING_DOCUMENT: (
        Topic(
            "贯彻落实市政府办公厅《关于做好冬春季森林防火工作的通知》",
            "按来文要求，制定我区实施方案并报送落实情况。",
            "yuanlin",
            ("yingji", "@place"),
        ),
        Topic(
            "落实市政府办公厅《关于开展安全生产大检查的通知》",
            "按来文要求开展安全生产大检查，按期报送检查情况。",
            "yingji",
            ("shichang", "zhujian"),
        ),
        Topic(
            "落实市政府办公厅《关于进一步做好稳就业工作的通知》",
            "按来文要求制定稳就业具体措施。",
            "renshe",
            ("caizheng",),
        ),
        Topic(
            "落实市商务局《关于促进消费扩容提质的实施意见》", "结合我区实际提出促消费具体举措。", "shangwu", ("wenlv",)
        ),
        Topic(
            "落实市教委《关于做好秋季学期开学工作的通知》",
            "做好开学准备、校园安全和疫病防控工作。",
            "jiaowei",
            ("weijian", "gongan"),
        ),
        Topic(
            "落实市住房城乡建设委《关于开展城镇燃气管道老化更新改造的通知》",
            "摸清老化管网底数，制定改造计划。",
            "zhujian",
            ("chengguanwei",),
        ),
    ),
    SourceType.ASSIGNMENT: (
        Topic(
            "做好节日期间安全稳定工作",
            "区政府办交办：做好节日期间安全防范、值班值守和信息报送。",
            "gongan",
            ("yingji",),
        ),
        Topic("筹备全区重点项目集中开工活动", "区政府办交办：拟定活动方案，确定开工项目清单。", "fagaiwei", ("touzi",)),
        Topic(
            "核报主要经济指标完成情况", "区政府办交办：核报本季度主要经济指标，附分析说明。", "tongji", ("fagaiwei",)
        ),
        Topic("做好文明城区复查迎检准备工作", "区政府办交办：对照测评体系逐项自查整改。", "chengguanwei", ("@place",)),
        Topic(
            "清理规范全区公共停车场收费",
            "区政府办交办：摸排公共停车场收费情况，规范收费行为。",
            "fagaiwei",
            ("shichang", "jiaotong"),
        ),
        Topic("报送区政府工作报告起草材料", "区政府办交办：报送本单位全年工作总结和明年工作思路。", "caizheng"),
    ),
    SourceType.LIVELIHOOD_PROJECT: (
        Topic(
            "{year}年民心工程：新建、改扩建幼儿园3所",
            "新增公办学位540个，缓解入园难。",
            "jiaowei",
            ("zhujian", "guihua", "caizheng"),
            milestones=("完成选址和立项", "完成施工图设计和招标", "主体结构封顶", "竣工验收", "开园招生"),
        ),
        Topic(
            "{year}年民心工程：改造老旧小区20个",
            "改造内容包括管网更新、外墙保温、加装电梯和环境整治。",
            "zhujian",
            ("chengguanwei", "@place"),
            milestones=("完成入户调查和方案公示", "完成施工招标", "全部开工", "完工验收"),
        ),
        Topic(
            "{year}年民心工程：新建社区嵌入式养老服务站10个",
            "每个服务站提供助餐、日间照料和上门服务。",
            "minzheng",
            ("caizheng", "@place"),
            milestones=("确定站点和运营机构", "完成装修改造", "全部投入运营"),
        ),
        Topic(
            "{year}年民心工程：新增公共停车泊位2000个",
            "利用边角地和立体停车设施新增泊位。",
            "jiaotong",
            ("guihua", "zhifa"),
            milestones=("确定建设点位", "完成设计审批", "建成1000个", "全部建成并开放"),
        ),
        Topic(
            "{year}年民心工程：建设口袋公园15处",
            "利用拆违腾退空间建设口袋公园。",
            "yuanlin",
            ("guihua", "@place"),
            milestones=("完成点位选址", "完成方案设计", "完工开放"),
        ),
        Topic(
            "{year}年民心工程：社区卫生服务中心标准化建设",
            "完成5个社区卫生服务中心标准化改造。",
            "weijian",
            ("caizheng",),
            milestones=("完成改造方案", "完成设备采购", "通过标准化验收"),
        ),
    ),
    SourceType.TARGET_TASK: (
        Topic("完成全年固定资产投资增长目标", "年度目标：固定资产投资增长6%以上。", "fagaiwei", ("touzi", "tongji")),
        Topic("全年城镇新增就业1.2万人", "年度目标：城镇新增就业1.2万人，城镇调查失业率控制在5.5%以内。", "renshe"),
        Topic(
            "细颗粒物年均浓度控制在35微克/立方米以下",
            "年度目标：空气质量优良天数比例不低于80%。",
            "shengtai",
            ("chengguanwei", "zhujian"),
        ),
        Topic("完成高标准农田建设2万亩", "年度目标：新建高标准农田2万亩。", "nongye", ("caizheng", "@place")),
        Topic("实际利用外资完成年度目标", "年度目标：实际利用外资1.5亿美元。", "shangwu", ("touzi",)),
        Topic(
            "义务教育优质均衡发展督导评估迎检",
            "年度目标：通过国家义务教育优质均衡发展督导评估。",
            "jiaowei",
            ("caizheng", "renshe"),
        ),
    ),
    SourceType.INCIDENT: (
        Topic(
            "{place}{road}燃气管道泄漏事件后续处置和隐患排查",
            "泄漏已处置，无人员伤亡；需开展周边管网隐患排查。",
            "chengguanwei",
            ("yingji", "zhifa"),
        ),
        Topic(
            "{estate}高层住宅火灾事故善后处置",
            "火灾已扑灭，2户受损；做好受灾群众安置和消防隐患排查。",
            "yingji",
            ("xiaofang", "minzheng", "@place"),
        ),
        Topic(
            "强降雨导致{place}部分农田受淹的灾后恢复",
            "受淹农田约1200亩，需组织排涝、核灾和补种。",
            "nongye",
            ("shuiwu", "@place"),
        ),
        Topic(
            "{school}学生食物中毒事件调查处置",
            "已送医学生均无生命危险；需查明原因、整改食堂管理。",
            "shichang",
            ("weijian", "jiaowei"),
        ),
        Topic(
            "{road}路面塌陷事件抢修和原因调查",
            "塌陷面积约20平方米，已封闭交通；需抢修并查明原因。",
            "chengguanwei",
            ("zhujian", "jiaotong"),
        ),
    ),
    SourceType.NPC_SUGGESTION: (
        Topic(
            "区人大代表{person}等提出的《关于加强中小学心理健康教育的建议》（第{no}号）",
            "建议配齐心理健康教师，建立学生心理危机干预机制。",
            "jiaowei",
            ("weijian",),
        ),
        Topic(
            "区人大代表{person}提出的《关于增设{estate}周边公交线路的建议》（第{no}号）",
            "建议增设公交线路，解决居民出行最后一公里。",
            "jiaotong",
        ),
        Topic(
            "区人大代表{person}等提出的《关于加快农贸市场升级改造的建议》（第{no}号）",
            "建议对老旧农贸市场实施升级改造。",
            "shangwu",
            ("shichang",),
        ),
        Topic(
            "区人大代表{person}提出的《关于完善社区养老助餐服务的建议》（第{no}号）",
            "建议扩大助餐点覆盖面，对高龄老人给予补贴。",
            "minzheng",
            ("caizheng",),
        ),
        Topic(
            "区人大代表{person}等提出的《关于整治电动自行车违规充电的建议》（第{no}号）",
            "建议增建集中充电设施，加强楼道充电治理。",
            "yingji",
            ("xiaofang", "zhujian"),
        ),
        Topic(
            "区人大代表{person}提出的《关于加强河道生态治理的建议》（第{no}号）",
            "建议实施河道生态修复，建设滨水步道。",
            "shuiwu",
            ("shengtai",),
        ),
    ),
    SourceType.CPPCC_PROPOSAL: (
        Topic(
            "区政协委员{person}提出的《关于推动老字号品牌振兴的提案》（第{no}号）",
            "建议设立老字号发展专项资金，打造特色街区。",
            "shangwu",
            ("wenlv",),
        ),
        Topic(
            "区政协委员{person}提出的《关于加强基层医疗卫生人才队伍建设的提案》（第{no}号）",
            "建议完善基层医务人员激励机制。",
            "weijian",
            ("renshe",),
        ),
        Topic(
            "区政协委员{person}等提出的《关于促进夜间经济发展的提案》（第{no}号）",
            "建议规划夜间经济集聚区，优化管理服务。",
            "shangwu",
            ("wenlv", "zhifa"),
        ),
        Topic(
            "区政协委员{person}提出的《关于优化中小微企业融资服务的提案》（第{no}号）",
            "建议搭建政银企对接平台，扩大信用贷款。",
            "jinrong",
            ("caizheng",),
        ),
        Topic(
            "区政协委员{person}提出的《关于推进全民健身设施建设的提案》（第{no}号）",
            "建议利用公园绿地增设健身设施。",
            "tiyu",
            ("yuanlin",),
        ),
        Topic(
            "区政协委员{person}等提出的《关于加强历史文化街区保护的提案》（第{no}号）",
            "建议编制保护规划，严控街区风貌。",
            "wenlv",
            ("guihua",),
        ),
    ),
    SourceType.PUBLIC_COMPLAINT: (
        Topic(
            "12345热线工单：{estate}楼道堆放杂物存在消防隐患",
            "市民反映{estate}多个单元楼道堆放杂物，占用消防通道。",
            "xiaofang",
            ("@place",),
        ),
        Topic("12345热线工单：{road}多盏路灯不亮", "市民反映{road}夜间多盏路灯不亮，行人出行不便。", "chengguanwei"),
        Topic(
            "12345热线工单：{estate}附近工地夜间施工噪音扰民",
            "市民反映{estate}附近工地夜间施工，影响休息。",
            "zhujian",
            ("shengtai",),
        ),
        Topic(
            "12345热线工单：{place}集贸市场周边占道经营",
            "市民反映{place}集贸市场周边摊贩占道经营，交通堵塞。",
            "zhifa",
            ("@place",),
        ),
        Topic("12345热线工单：{estate}二次供水水质浑浊", "市民反映{estate}自来水发黄浑浊。", "shuiwu", ("weijian",)),
        Topic("12345热线工单：{road}公交站台破损", "市民反映{road}公交站台顶棚破损，雨天无法避雨。", "jiaotong"),
        Topic(
            "12345热线工单：{estate}违规养犬扰民",
            "市民反映{estate}有住户违规饲养大型犬，深夜吠叫扰民。",
            "gongan",
            ("@place",),
        ),
        Topic(
            "12345热线工单：培训机构停业后退费难",
            "家长反映{school}附近一家培训机构停业，预付费无法退还。",
            "jiaowei",
            ("shichang",),
        ),
        Topic(
            "12345热线工单：{estate}小区电梯频繁故障",
            "市民反映{estate}电梯一月内故障三次，存在安全隐患。",
            "shichang",
            ("zhujian",),
        ),
    ),
    SourceType.OTHER: (
        Topic("更新区政府门户网站政务公开栏目内容", "按政务公开要点，更新各栏目内容并自查。", "zhengwu"),
        Topic("报送区政府重点工作季度调度材料", "报送本单位承担的区政府重点工作推进情况。", "fagaiwei"),
    ),
}

SOURCE_WEIGHTS: Final = {
    SourceType.LEADER_INSTRUCTION: 22,
    SourceType.MEETING_DECISION: 12,
    SourceType.INCOMING_DOCUMENT: 9,
    SourceType.ASSIGNMENT: 9,
    SourceType.LIVELIHOOD_PROJECT: 2,
    SourceType.TARGET_TASK: 2,
    SourceType.INCIDENT: 5,
    SourceType.NPC_SUGGESTION: 8,
    SourceType.CPPCC_PROPOSAL: 7,
    SourceType.PUBLIC_COMPLAINT: 20,
    SourceType.OTHER: 2,
}

PROGRESS = (
    "已召开专题会议研究部署，明确责任科室和时间节点。",
    "已完成现场踏勘，形成初步工作方案。",
    "已与相关单位对接，正在推进落实。",
    "已完成前期摸排，建立问题台账，正在逐项整改。",
    "整改已完成约六成，剩余问题正在协调解决。",
    "已约谈相关责任主体，督促限期整改。",
    "已联系来信群众，当面说明办理进展。",
    "方案已报分管区领导审定，正在组织实施。",
)
CO_PROGRESS = (
    "我单位已按牵头单位要求完成职责范围内工作，相关材料已报送。",
    "已派员参加联合检查，配合意见已书面反馈牵头单位。",
    "已提供相关数据和政策依据，配合牵头单位研究解决。",
)
REPORTS = (
    "该事项已办理完毕：问题已整改到位，已向群众反馈，群众表示满意。附整改前后照片。",
    "经研究，已按要求完成全部工作任务，相关制度已印发实施，现申请办结。",
    "现场问题已全部整改，建立了长效管理机制，申请办结。",
    "已按期完成，办理情况已书面答复代表（委员），代表（委员）对办理结果表示满意。",
)
RETURN_REASONS = (
    "办结报告未附整改前后对比材料，请补充后重新报送。",
    "群众回访不满意，问题仍未根本解决，请继续办理。",
    "办理结果与批示要求有差距，未说明长效机制，请完善。",
)
EXTENSION_REASONS = (
    "涉及多个部门协调，审批手续尚未办结，申请延期。",
    "受连续降雨影响，施工无法按期完成，申请延期。",
    "需等待市级部门批复，申请延期办结。",
    "资金拨付程序尚未完成，申请适当延期。",
)
DECLINE_REASONS = (
    "该事项属于属地管理范围，不在我单位职责范围内，申请退办。",
    "根据“三定”方案，该事项应由其他部门牵头，申请退办。",
)
INSTRUCTIONS = (
    "要加快进度，确保按期办结，办理结果报我。",
    "此事群众关注度高，请抓紧办理，及时回应。",
    "请督查科跟踪督办，每周报告进展。",
    "要举一反三，建立长效机制，防止问题反弹。",
)
REMINDS = (
    "该事项已临近办结时限，请抓紧办理，按时报送办结报告。",
    "该事项已超期，请立即报送办理进展并说明原因。",
)


# People and units -----------------------------------------------------------------------------------------


@dataclass
class Cast:
    """Who is who in the demo district, as this loader needs them."""

    units: dict[str, Unit]
    places: list[Unit]
    liaison: dict[int, Person]
    officers: list[Person]
    ducha: Person
    leaders: list[Person]
    quzhang: Person
    director: Person

    @classmethod
    def load(cls) -> Cast:
        units = {unit.code: unit for unit in Unit.objects.select_related("leader_in_charge")}
        if "jiaowei" not in units or "zhujian" not in units:
            raise ApplicationError("找不到示范区的单位：请先载入组织机构演示数据（zhongshu.org.demo）。")
        people = {p.username: p for p in Person.objects.filter(is_active=True).prefetch_related("grants")}

        def with_role(role: str) -> list[Person]:
            return sorted(
                (p for p in people.values() if any(g.role == role for g in p.grants.all())), key=lambda p: p.username
            )

        liaison: dict[int, Person] = {}
        for person in with_role(Role.LIAISON):
            for grant in person.grants.all():
                if grant.role == Role.LIAISON and (grant.unit_id not in liaison or person.username.startswith("ll-")):
                    liaison[grant.unit_id] = person
        places = [u for u in units.values() if u.kind in (UnitKind.TOWN, UnitKind.STREET) and u.pk in liaison]
        return cls(
            units=units,
            places=sorted(places, key=lambda u: u.display_order),
            liaison=liaison,
            officers=with_role(Role.SUPERVISOR),
            ducha=people["ducha"],
            leaders=with_role(Role.LEADER),
            quzhang=people["quzhang"],
            director=people["zhuren"],
        )


# The simulation -------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """How one item's year goes: what the lead unit and the officer do, and when."""

    sign: str = "prompt"  # prompt | slow | auto | decline_reassign | decline_insist
    finish: str = "on_time"  # on_time | late | returned | cancelled
    extension: str = ""  # "" | in_time | after | refused | long
    instruct: bool = False
    remind: bool = False


@dataclass
class Sim:
    """Runs every item's flow in time order, with the clock pinned at each step, and the reminder sweep at
    9:00 every working day."""

    now: dt.datetime
    rng: random.Random
    cast: Cast
    cal: Any
    queue: list[tuple[dt.datetime, int, Flow]] = field(default_factory=list)
    counter: int = 0
    stats: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)

    # moments -------------------------------------------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        return clock.localtime(moment)

    def at(self, day: dt.date, lo: int = 9, hi: int = 17) -> dt.datetime:
        """A moment during office hours on the first working day from `day` on."""
        workday = self.cal.next_workday(day, inclusive=True).value
        minutes = self.rng.randint(lo * 60, hi * 60 - 1)
        return dt.datetime.combine(workday, dt.time(minutes // 60, minutes % 60), tzinfo=self.cal.tz)

    def after(self, moment: dt.datetime, workdays: int, lo: int = 9, hi: int = 17) -> dt.datetime:
        """A moment on the `workdays`-th working day after `moment` (0: later the same day)."""
        if workdays <= 0:
            return moment + dt.timedelta(minutes=self.rng.randint(15, 90))
        return self.at(self.cal.add_workdays(self.local(moment).date(), workdays).value, lo, hi)

    def day(self, moment: dt.datetime) -> dt.date:
        return self.local(moment).date()

    def workdays(self, start: dt.datetime, end: dt.datetime) -> int:
        return int(self.cal.workdays_between(self.day(start), self.day(end)).value)

    # running ------------------------------------------------------------------------------------------------

    def start(self, moment: dt.datetime, flow: Flow) -> None:
        self.counter += 1
        heapq.heappush(self.queue, (moment, self.counter, flow))

    def run(self, first_day: dt.date) -> None:
        from . import reminders

        day = first_day
        sweep_at = self._sweep_moment(day)
        recent = self._sweep_moment(self.cal.add_workdays(self.day(self.now), -FULL_SWEEP_WORKDAYS).value)
        while self.queue or sweep_at <= self.now:
            if sweep_at <= self.now and (not self.queue or sweep_at <= self.queue[0][0]):
                with pinned_clock(sweep_at), transaction.atomic():
                    if sweep_at >= recent:
                        self.stats.update(reminders.sweep(sweep_at).counts)
                    else:  # long ago: the signing rule and the ladder; the day's reminders would be read by now
                        office_day = reminders.Day(sweep_at)
                        self.stats["lapsed"] += reminders.lapse_declines(office_day)
                        self.stats["auto_signed"] += reminders.auto_sign(office_day)
                        self.stats.update(reminders.issue_notices(office_day))
                day = self.day(sweep_at) + dt.timedelta(days=1)
                sweep_at = self._sweep_moment(day)
                continue
            moment, _, flow = heapq.heappop(self.queue)
            if moment > self.now:
                continue  # planned after "now": it has not happened yet
            with pinned_clock(moment):
                try:
                    following = next(flow)
                except StopIteration:
                    continue
            self.start(max(following, moment + dt.timedelta(minutes=1)), flow)

    def _sweep_moment(self, day: dt.date) -> dt.datetime:
        workday = self.cal.next_workday(day, inclusive=True).value
        return dt.datetime.combine(workday, dt.time(9, 0), tzinfo=self.cal.tz)

    # words -------------------------------------------------------------------------------------------------

    def words(self, text: str, place: Unit, year: int) -> str:
        kind = "代表" if "人大" in text else "委员"
        self.numbers[kind] += 1
        return text.format(
            estate=self.rng.choice(ESTATES),
            road=self.rng.choice(ROADS),
            school=self.rng.choice(SCHOOLS),
            place=place.short_name,
            person=self.rng.choice(PEOPLE),
            no=self.numbers[kind] + 100,
            year=year,
        )

    def unit(self, code: str, place: Unit) -> Unit:
        return place if code == "@place" else self.cast.units[code]

    def liaison(self, unit_id: int) -> Person:
        return self.cast.liaison[unit_id]

    def officer(self) -> Person:
        return self.cast.ducha if self.rng.random() < 0.7 else self.rng.choice(self.cast.officers)

    def leader(self) -> Person:
        return self.cast.quzhang if self.rng.random() < 0.45 else self.rng.choice(self.cast.leaders)


# Creating ----------------------------------------------------------------------------------------------


def _deadline(sim: Sim, source: str, created: dt.datetime) -> dict[str, Any]:
    """The deadline offices usually give for each source."""
    rng = sim.rng
    day = sim.day(created)
    if source in (SourceType.NPC_SUGGESTION, SourceType.CPPCC_PROPOSAL):
        return {"due_at": sim.cal.next_workday(day + dt.timedelta(days=rng.randint(80, 90)), inclusive=True).value}
    if source == SourceType.MEETING_DECISION:
        return {"due_at": sim.cal.add_workdays(day, rng.choice((15, 20, 30, 40))).value}
    if source in (SourceType.LIVELIHOOD_PROJECT, SourceType.TARGET_TASK):
        return {"due_at": sim.cal.add_workdays(day, rng.randint(110, 160)).value}
    workdays = {
        SourceType.LEADER_INSTRUCTION: (5, 7, 10, 10, 15, 20),
        SourceType.INCOMING_DOCUMENT: (10, 15, 20),
        SourceType.ASSIGNMENT: (3, 5, 10),
        SourceType.INCIDENT: (3, 5),
        SourceType.PUBLIC_COMPLAINT: (5, 5, 7),
        SourceType.OTHER: (10,),
    }[SourceType(source)]
    return {"due_in_workdays": rng.choice(workdays)}


def _create(
    sim: Sim,
    *,
    source: str,
    topic: Topic,
    created: dt.datetime,
    lead: Unit | None = None,
    deadline: dict[str, Any] | None = None,
    assign: bool = True,
    feedback: services.Feedback | None = None,
    leader: Person | None = None,
    officer: Person | None = None,
) -> Item:
    rng = sim.rng
    place = rng.choice(sim.cast.places)
    year = sim.day(created).year
    lead = lead or sim.unit(topic.lead, place)
    co = [sim.unit(code, place) for code in topic.co]
    co_ids = list(dict.fromkeys(u.pk for u in co if u.pk != lead.pk and u.pk in sim.cast.liaison))
    deadline = deadline or _deadline(sim, source, created)
    extra: dict[str, Any] = {}
    if source == SourceType.LEADER_INSTRUCTION:
        leader = leader or sim.leader()
        extra = {
            "instructing_leader_id": leader.pk,
            "instruction": topic.instruction,
            "instructed_on": sim.day(created) - dt.timedelta(days=rng.randint(0, 2)),
        }
    elif source in (SourceType.MEETING_DECISION, SourceType.LIVELIHOOD_PROJECT, SourceType.TARGET_TASK):
        sim.numbers["meeting"] += 1
        label = f"区政府第{sim.numbers['meeting'] // 3 + 8}次常务会议" if source == SourceType.MEETING_DECISION else ""
        extra = {"source_label": label or f"{year}年区政府工作报告"}
        if rng.random() < 0.5:
            extra["instructing_leader_id"] = sim.cast.quzhang.pk
            extra["instruction"] = "请各责任单位按照会议要求抓好落实，督查科跟踪督办。"
            extra["instructed_on"] = sim.day(created)
    elif source == SourceType.INCIDENT:
        extra = {"urgency": Urgency.EXTRA_URGENT, "source_label": "总值班室突发事件信息专报"}
    elif source == SourceType.PUBLIC_COMPLAINT:
        extra = {
            "urgency": Urgency.URGENT,
            "source_label": f"12345工单{sim.day(created):%Y%m%d}{rng.randint(1000, 9999)}",
        }
    milestones: list[services.MilestoneIn] = []
    if topic.milestones and "due_at" in deadline:
        start, end = sim.day(created), deadline["due_at"]
        span = (end - start).days
        steps = len(topic.milestones)
        milestones = [
            services.MilestoneIn(title, start + dt.timedelta(days=span * (n + 1) // (steps + 1)))
            for n, title in enumerate(topic.milestones[:-1])
        ] + [services.MilestoneIn(topic.milestones[-1], end)]
    item = services.item_create(
        actor=officer or (sim.officer() if source != SourceType.INCIDENT else sim.cast.ducha),
        title=sim.words(topic.title, place, year)[:200],
        content=sim.words(topic.content, place, year),
        source_type=source,
        lead_unit_id=lead.pk,
        co_unit_ids=co_ids,
        feedback=feedback,
        milestones=milestones,
        assign=assign,
        **deadline,
        **extra,
    )
    sim.stats["items"] += 1
    return item


def _fresh(item: Item) -> Item:
    return Item.objects.select_related("lead_unit__leader_in_charge").get(pk=item.pk)


def _rating(sim: Sim, late: bool) -> str:
    if late:
        return sim.rng.choice((Rating.GOOD, Rating.FAIR, Rating.FAIR, Rating.POOR))
    return sim.rng.choice((Rating.EXCELLENT, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.FAIR))


# One item's year ------------------------------------------------------------------------------------------


def life(sim: Sim, *, source: str, topic: Topic, created: dt.datetime, plan: Plan, lead: Unit | None = None) -> Flow:
    """An item from registration to its end (or to "now"), following `plan`."""
    rng = sim.rng
    feedback = None
    if source in (SourceType.LIVELIHOOD_PROJECT, SourceType.TARGET_TASK):
        feedback = services.Feedback(FeedbackCycle.MONTHLY, day=25)
    elif source == SourceType.MEETING_DECISION and rng.random() < 0.15:
        feedback = services.Feedback(FeedbackCycle.WEEKLY, weekday=4)
    item = _create(sim, source=source, topic=topic, created=created, lead=lead, feedback=feedback)
    yield from run_item(sim, item, plan)


def run_item(sim: Sim, item: Item, plan: Plan) -> Flow:
    rng = sim.rng
    officer = item.officer or sim.cast.ducha
    # 签收, or 退办 first
    if plan.sign in ("decline_reassign", "decline_insist"):
        yield sim.after(item.assigned_at or clock.now(), 0)
        services.item_decline(actor=sim.liaison(item.lead_unit_id), item=item, reason=rng.choice(DECLINE_REASONS))
        yield sim.after(clock.now(), 1, 9, 12)
        if plan.sign == "decline_reassign":
            candidates = [u for u in sim.cast.places if u.pk != item.lead_unit_id]
            new = rng.choice(candidates)
            with suppress(InvalidTransition):  # the sweep may have counted it as insisted meanwhile
                services.decline_decide(
                    actor=officer, item=item, reassign_to_id=new.pk, comment=f"改由{new.short_name}牵头办理。"
                )
            sim.stats["reassigned"] += 1
        else:
            with suppress(InvalidTransition):
                services.decline_decide(
                    actor=officer, item=item, reassign_to_id=None, comment="经核实，该事项属于你单位职责，请签收办理。"
                )
            sim.stats["insisted"] += 1
        item = _fresh(item)
    if plan.sign == "auto":
        yield sim.after(item.assigned_at or clock.now(), 3, 10, 16)  # the sweep has signed it by then
    else:
        yield sim.after(clock.now(), 2 if plan.sign == "slow" else rng.choice((0, 0, 1)), 9, 16)
    item = _fresh(item)
    if item.status == Status.ASSIGNED:
        services.item_accept(actor=sim.liaison(item.lead_unit_id), item=item)
        item = _fresh(item)
    if item.status != Status.IN_PROGRESS or item.due_at is None:
        return
    lead = sim.liaison(item.lead_unit_id)
    accepted = clock.now()
    due = item.due_at
    if plan.finish == "cancelled":
        yield sim.after(accepted, rng.randint(1, 5))
        services.item_cancel(
            actor=officer, item=item, reason="经研究，该事项已纳入区级专项工作统筹推进，不再单独督办，予以撤销。"
        )
        return
    # Progress while the work goes on (co-operating units report to the lead unit first).
    span = max(1, sim.workdays(accepted, due))
    yield from _progress(sim, item, lead, accepted, due, span)
    if plan.instruct and item.instructing_leader_id:
        services.item_instruct(actor=item.instructing_leader, item=item, text=rng.choice(INSTRUCTIONS))
    # 延期: asked a working day or two before the deadline; decided at once, or only after the deadline.
    if plan.extension:
        ask = sim.at(sim.cal.add_workdays(sim.day(due), -rng.randint(1, 2)).value)
        if ask <= clock.now():
            ask = sim.after(clock.now(), 0)
        if ask < due:
            yield ask
            extra = 15 if plan.extension == "long" else rng.randint(5, 10)
            services.extension_request(
                actor=lead,
                item=item,
                reason=rng.choice(EXTENSION_REASONS),
                due_at=sim.cal.add_workdays(sim.day(due), extra).value,
            )
            if plan.extension == "after":
                yield sim.after(due, rng.randint(1, 2), 9, 12)
            else:
                yield max(min(sim.after(ask, 0), due - dt.timedelta(minutes=5)), ask + dt.timedelta(minutes=1))
            decider = officer
            if plan.extension == "long":
                decider = _fresh(item).lead_unit.leader_in_charge or sim.cast.quzhang
            approve = plan.extension != "refused"
            services.extension_decide(
                actor=decider,
                item=item,
                approve=approve,
                comment="同意延期，请抓紧办理。" if approve else "理由不充分，请按原定时限办结。",
            )
            sim.stats[f"extension_{plan.extension}"] += 1
            item = _fresh(item)
            due = item.due_at or due
    # 办结报告
    late = plan.finish == "late" or plan.extension == "refused"
    if late:
        if plan.remind:
            yield sim.after(due, 1, 10, 12)
            if _fresh(item).status == Status.IN_PROGRESS:
                services.item_remind(actor=officer, item=item, message=REMINDS[1])
        report = sim.after(due, rng.randint(2, 9))
    else:
        left = max(0, sim.workdays(clock.now(), due))
        report = sim.after(clock.now(), rng.randint(min(1, left), left)) if left else sim.after(clock.now(), 0)
        if report > due:
            report = due - dt.timedelta(minutes=rng.randint(10, 120))
    yield max(report, clock.now() + dt.timedelta(minutes=5))
    services.item_report(actor=lead, item=item, text=rng.choice(REPORTS))
    if plan.finish == "returned":
        yield sim.after(clock.now(), rng.randint(1, 2))
        services.item_return(actor=officer, item=item, reason=rng.choice(RETURN_REASONS))
        yield sim.after(clock.now(), rng.randint(2, 5))
        services.item_progress(actor=lead, item=item, text="已按核查意见补充整改，相关材料已补齐。")
        yield sim.after(clock.now(), 0)
        services.item_report(actor=lead, item=item, text="已按退回意见重新办理完毕，补充材料附后，申请办结。")
    yield sim.after(clock.now(), rng.randint(1, 3))
    item = _fresh(item)
    services.item_close(
        actor=officer, item=item, rating=_rating(sim, bool(item.reported_at and item.reported_at > due))
    )


def _progress(sim: Sim, item: Item, lead: Person, accepted: dt.datetime, due: dt.datetime, span: int) -> Flow:
    """Progress reports while the work goes on: co-operating units first, then the lead unit; items with a
    feedback cycle report on each cycle until the deadline nears."""
    rng = sim.rng
    for part in item.parts.filter(role="co").order_by("pk"):
        if rng.random() < 0.8:
            yield sim.after(accepted, rng.randint(1, max(1, span // 2)))
            services.item_progress(
                actor=sim.liaison(part.unit_id), item=item, text=rng.choice(CO_PROGRESS), unit_id=part.unit_id
            )
    if item.feedback_cycle:
        step = 5 if item.feedback_cycle == FeedbackCycle.WEEKLY else 21
        moment = sim.after(accepted, step)
        milestones = list(item.milestones.order_by("due_on"))
        while moment < due - dt.timedelta(days=10):
            yield moment
            done = [m for m in milestones if m.done_on is None and m.due_on <= sim.day(moment) + dt.timedelta(days=5)]
            for milestone in done:
                finished = min(sim.day(moment), milestone.due_on + dt.timedelta(days=rng.choice((-3, -1, 0, 2, 6))))
                services.milestone_done(actor=lead, item=item, milestone_id=milestone.pk, done_on=finished)
                milestone.done_on = finished
            services.item_progress(actor=lead, item=item, text=rng.choice(PROGRESS))
            moment = sim.after(moment, step)
        today = sim.day(clock.now())
        for milestone in milestones:
            if milestone.done_on is None and milestone.due_on < sim.day(due):
                done_on = min(milestone.due_on, today)
                services.milestone_done(actor=lead, item=item, milestone_id=milestone.pk, done_on=done_on)
    elif span >= 4:
        for _ in range(rng.randint(0, min(2, span // 3 + 1))):
            yield sim.after(clock.now(), rng.randint(1, max(1, span // 3)))
            if clock.now() >= due:
                break
            services.item_progress(actor=lead, item=item, text=rng.choice(PROGRESS))


def split_life(sim: Sim, *, created: dt.datetime, topic: Topic, source: str, units: Sequence[Unit]) -> Flow:
    """A matter for several units: registered, split into one child item per unit, assigned together; each
    child lives its own life and the parent closes with the last of them."""
    parent = _create(sim, source=source, topic=topic, created=created, assign=False)
    children = services.item_split(actor=parent.officer or sim.cast.ducha, item=parent, unit_ids=[u.pk for u in units])
    services.item_assign(actor=parent.officer or sim.cast.ducha, item=parent)
    sim.stats["split_parents"] += 1
    for child in children:
        plan = Plan(finish=sim.rng.choice(("on_time", "on_time", "late", "returned")))
        sim.start(sim.after(clock.now(), 0), run_item(sim, _fresh(child), plan))
    yield from ()


# The staged items: work waiting for the demo accounts at "now" -----------------------------------------------


def staged(sim: Sim) -> None:
    """Items whose steps are timed back from "now" so that each demo account finds its lists filled."""
    now = sim.now
    today = sim.day(now)
    rng = sim.rng
    cast = sim.cast

    def back(workdays: int, lo: int = 9, hi: int = 12) -> dt.datetime:
        moment = sim.at(sim.cal.add_workdays(today, -workdays).value, lo, hi)
        return min(moment, now - dt.timedelta(minutes=30))

    def topic_for(unit_code: str) -> tuple[str, Topic]:
        pairs = [(s, t) for s, topics in TOPICS.items() for t in topics if t.lead == unit_code and not t.milestones]
        return rng.choice(pairs)

    def flow(created: dt.datetime, unit: Unit, steps: Callable[[Item], Flow], **kw: Any) -> None:
        source, topic = (
            topic_for(unit.code)
            if unit.code in ("jiaowei", "zhujian")
            else rng.choice(
                [(s, t) for s, ts in TOPICS.items() for t in ts if not t.milestones and s != SourceType.OTHER]
            )
        )

        def run() -> Flow:
            item = _create(sim, source=source, topic=topic, created=created, lead=unit, officer=cast.ducha, **kw)
            yield from steps(item)

        sim.start(created, run())

    def accept(item: Item) -> Flow:
        yield sim.after(clock.now(), 0)
        services.item_accept(actor=sim.liaison(item.lead_unit_id), item=item)

    for code in ("jiaowei", "zhujian"):
        unit = cast.units[code]

        # 待签收: assigned this morning and yesterday.
        flow(min(sim.at(today, 8, 9), now - dt.timedelta(minutes=40)), unit, lambda item: iter(()))
        flow(back(1, 14, 17), unit, lambda item: iter(()), deadline={"due_in_workdays": 10})

        # 待反馈: weekly feedback, last report three weeks ago.
        def weekly(item: Item) -> Flow:
            yield from accept(item)
            yield sim.after(clock.now(), 3)
            services.item_progress(actor=sim.liaison(item.lead_unit_id), item=item, text=PROGRESS[0])

        flow(
            back(22),
            unit,
            weekly,
            deadline={"due_in_workdays": 60},
            feedback=services.Feedback(FeedbackCycle.WEEKLY, weekday=4),
        )

        # 被退回: reported, returned yesterday.
        def returned(item: Item) -> Flow:
            yield from accept(item)
            yield back(3, 10, 16)
            services.item_report(actor=sim.liaison(item.lead_unit_id), item=item, text=REPORTS[0])
            yield back(1, 10, 16)
            services.item_return(actor=cast.ducha, item=item, reason=RETURN_REASONS[1])

        flow(back(12), unit, returned, deadline={"due_in_workdays": 20})

        # 即将到期: due in two working days, in progress.
        def due_soon(item: Item) -> Flow:
            yield from accept(item)
            yield sim.after(clock.now(), 3)
            services.item_progress(actor=sim.liaison(item.lead_unit_id), item=item, text=PROGRESS[4])

        flow(back(13), unit, due_soon, deadline={"due_in_workdays": 14})

        # 已超期: the deadline passed four working days ago; the ladder has been climbing since.
        def overdue(item: Item) -> Flow:
            yield from accept(item)
            yield sim.after(clock.now(), 2)
            services.item_progress(actor=sim.liaison(item.lead_unit_id), item=item, text=PROGRESS[2])
            yield back(2, 10, 11)
            services.item_remind(actor=cast.ducha, item=item, message=REMINDS[1])

        flow(back(14), unit, overdue, deadline={"due_in_workdays": 10})

    # ducha: 待核查 (reported in the last days).
    for n, code in enumerate(("jiaowei", "zhujian", "weijian", "minzheng")):
        unit = cast.units[code]

        def reported(item: Item, n: int = n) -> Flow:
            yield from accept(item)
            yield back(n % 2 + 1, 9, 17)
            services.item_report(actor=sim.liaison(item.lead_unit_id), item=item, text=REPORTS[n % len(REPORTS)])

        flow(back(10 + n), unit, reported, deadline={"due_in_workdays": 15})

    # ducha: 退办待处理 (declined today).
    for code in ("jiaotong", "shichang"):
        unit = cast.units[code]

        def declined(item: Item) -> Flow:
            yield sim.after(clock.now(), 0)
            services.item_decline(actor=sim.liaison(item.lead_unit_id), item=item, reason=DECLINE_REASONS[1])

        flow(min(sim.at(today, 8, 9), now - dt.timedelta(minutes=60)), unit, declined)

    # ducha: 延期待审批 (one short, one long that needs a leader).
    for code, extra in (("zhujian", 6), ("jiaowei", 15)):
        unit = cast.units[code]

        def extension(item: Item, extra: int = extra) -> Flow:
            yield from accept(item)
            yield back(1, 9, 17)
            current = _fresh(item)
            services.extension_request(
                actor=sim.liaison(item.lead_unit_id),
                item=current,
                reason=EXTENSION_REASONS[2],
                due_at=sim.cal.add_workdays(sim.day(current.due_at or now), extra).value,
            )

        flow(back(8), unit, extension, deadline={"due_in_workdays": 12})

    # quzhang: fresh instructions of the last weeks (我批示的事项), one with a further instruction.
    for n in range(4):
        topic = TOPICS[SourceType.LEADER_INSTRUCTION][n * 3]
        created = back(2 + n * 4)

        def leader_item(created: dt.datetime = created, topic: Topic = topic, n: int = n) -> Flow:
            item = _create(sim, source=SourceType.LEADER_INSTRUCTION, topic=topic, created=created, leader=cast.quzhang)
            yield from accept(item)
            if n == 1:
                yield sim.after(clock.now(), 1)
                services.item_instruct(actor=cast.quzhang, item=item, text=INSTRUCTIONS[1])

        sim.start(created, leader_item())


# Loading -------------------------------------------------------------------------------------------------


def _plan(rng: random.Random) -> Plan:
    roll = rng.random()
    plan = Plan(instruct=rng.random() < 0.08)
    if roll < 0.50:
        plan.finish = "on_time"  # half the items: the ordinary course, closed on time
    elif roll < 0.62:
        plan.finish, plan.remind = "late", rng.random() < 0.5
    elif roll < 0.69:
        plan.extension = "in_time"
    elif roll < 0.72:
        plan.extension = "after"
    elif roll < 0.75:
        plan.extension = "refused"
    elif roll < 0.77:
        plan.extension = "long"
    elif roll < 0.86:
        plan.finish = "returned"
    elif roll < 0.89:
        plan.sign = "decline_reassign"
    elif roll < 0.91:
        plan.sign = "decline_insist"
    elif roll < 0.94:
        plan.finish = "cancelled"
    else:
        plan.sign = "auto"
    if plan.sign == "prompt" and rng.random() < 0.08:
        plan.sign = "slow"
    return plan


def load_demo() -> dict[str, int]:
    """Fill the demo district's year of 督查督办 and return the counts (run after the org app's loader)."""
    from zhongshu.workdays.selectors import calendar

    if Item.objects.exists():
        raise ApplicationError("数据库中已有督办事项：督查督办演示数据只能载入新建的演示数据库。")
    now = clock.now()
    rng = random.Random(SEED)  # noqa: S311 — fictional data, not security
    cast = Cast.load()
    sim = Sim(now=now, rng=rng, cast=cast, cal=calendar())
    first = sim.day(now) - dt.timedelta(days=DAYS)
    services.config()

    with transaction.atomic():
        sources = list(SOURCE_WEIGHTS)
        weights = [SOURCE_WEIGHTS[s] for s in sources]
        span_days = DAYS - 3
        for _ in range(BACKGROUND_ITEMS):
            source = rng.choices(sources, weights)[0]
            topic = rng.choice(TOPICS[source])
            created = sim.at(first + dt.timedelta(days=rng.randint(0, span_days)))
            if created >= now:
                continue
            sim.start(created, life(sim, source=source, topic=topic, created=created, plan=_plan(rng)))
        # Every livelihood project and target task of the year, registered in its first weeks.
        for source in (SourceType.LIVELIHOOD_PROJECT, SourceType.TARGET_TASK):
            for topic in TOPICS[source]:
                created = sim.at(first + dt.timedelta(days=rng.randint(20, 60)))
                plan = Plan(finish=rng.choice(("on_time", "on_time", "late")))
                sim.start(created, life(sim, source=source, topic=topic, created=created, plan=plan))
            topic = TOPICS[source][0]
            created = sim.at(sim.day(now) - dt.timedelta(days=rng.randint(100, 130)))
            sim.start(created, life(sim, source=source, topic=topic, created=created, plan=Plan(), lead=None))
        # Matters split among several towns and streets.
        for n in range(4):
            created = sim.at(first + dt.timedelta(days=60 + n * 80))
            units = rng.sample(cast.places, 3)
            topic = Topic(
                (
                    "做好{place}等镇街秸秆禁烧和环境整治工作",
                    "开展老旧小区消防安全隐患排查整治",
                    "做好镇街防汛隐患排查",
                    "推进镇街垃圾分类入户宣传",
                )[n],
                "各镇街按照属地管理原则抓好落实，分别报送办理情况。",
                units[0].code,
            )
            if created < now:
                sim.start(
                    created, split_life(sim, created=created, topic=topic, source=SourceType.ASSIGNMENT, units=units)
                )
        staged(sim)
        sim.run(first)
        _mark_old_messages_read(now)
    counts = Counter(Item.objects.values_list("status", flat=True))
    return {
        "tracking_items": Item.objects.count(),
        "tracking_open": counts[Status.ASSIGNED] + counts[Status.IN_PROGRESS] + counts[Status.REPORTED],
        "tracking_closed": counts[Status.CLOSED],
        "tracking_entries": Entry.objects.count(),
        "tracking_notices": Notice.objects.count(),
    }


def _mark_old_messages_read(now: dt.datetime) -> int:
    """Messages of past events would pile up unread: everything older than three days counts as read (an
    hour after it arrived); the recent ones wait in the inboxes."""
    from zhongshu.notify.models import Message

    return Message.objects.filter(read_at__isnull=True, created_at__lt=now - dt.timedelta(days=3)).update(
        read_at=F("created_at") + dt.timedelta(hours=1)
    )
