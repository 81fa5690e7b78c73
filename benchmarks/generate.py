"""A seeded generator of synthetic but realistic groups of unit files for the benchmarks.

``generate(n, seed, folder)`` writes ``u0001.yaml`` ... ``u{n}.yaml``: a headquarters
(``u0001``), up to four regional companies below it (``u0002``-``u0005``) and plants, wind
farms, PV stations and maintenance companies below those, so the group has a tree. Each file
holds 20 posts, 30 hidden dangers, 50 training records of nine people, six emergency plans
with their drills, the legal register, rules, inspections, contractors, certificates and the
risk register: about 300 lines and 32 KB, with list items written one a line in flow style
as people do for short records (the same content in block style takes 800 lines, like the
samples). About 40% of the units are written in Chinese, the rest
in English (with the Chinese titles of laws, as real files have).

Every file is valid against ``unit.schema.json`` with no warning. Gaps are drawn at realistic
rates, so a check finds some in most units: responsibility statements signed more than 12
months ago, hidden dangers past their deadline (now and then a major one), on-site plans not
drilled in the last six months, expired certificates, short training, safety funds below the
minimum, open violations and inspections, expired contractor agreements.

Unit ``i`` depends only on ``(seed, i)``, never on ``n``: the first 100 units of a group of
1,000 are the group of 100. The same seed gives byte-identical files on any machine.

Run as a script to write a group: ``python -m benchmarks.generate 100 out/ --seed 7``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 28)
"""The as-of date the generated dates are relative to (the benchmarks check at this date)."""

POSTS = 20
HIDDEN_DANGERS = 30
TRAINING_RECORDS = 50
REGIONAL_UNITS = 4

# ------------------------------------------------------------------------------ text pools


def _words(text: str) -> list[str]:
    """The words of a text (keeps long name pools compact)."""
    return text.split()


_SURNAMES = _words(
    "Zhang Wang Li Zhao Liu Chen Yang Huang Zhou Wu Xu Sun Ma Zhu Hu Guo He Lin Gao "
    "Luo Zheng Liang Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan "
    "Cai Jiang Yu Du Ye Cheng Wei Su Lü Ding Ren Shen Yao Lu Jiang Cui Zhong Tan Fan "
    "Wang Liao Shi Jin Jia Xia Fu Fang Zou Xiong Bai Meng Qin Qiu Hou Jiang Yin Xue "
    "Yan Duan Lei Long Li Shi Tao He Mao Hao Gu Gong Shao Wan Qian Yan Qin Wu Dai Mo "
    "Kong Xiang Chang"
)
_GIVEN = _words(
    "Wei Fang Min Jing Li Qiang Lei Jun Yang Yong Yan Jie Juan Tao Ming Chao Xiuying "
    "Hua Ping Gang Gui Hong Bin Hui Lin Feng Hai Bo Kai Peng Xin Yu Hao Dong Liang "
    "Rui Ning Qing Zhigang Jianguo Jianhua Guoqiang Xiaohong Lihua Haiyan Yonggang "
    "Jianjun Xiaoming Zhiqiang Chunmei Hongmei Xiaoyan Dawei Zhenhua Guohua Wenjun "
    "Jianping Hongwei"
)
_ZH_SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁宋唐韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢崔钟谭范廖石金贾夏傅方邹熊白孟秦邱侯尹薛闫段雷龙陶毛郝顾龚邵万钱严覃武戴莫孔向常"
_ZH_GIVEN = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂红斌辉林峰海波凯鹏鑫宇浩东亮瑞宁庆志国建民晓红丽华海燕永刚建军晓明志强春梅红梅晓燕大伟振华国华文军建平宏伟"

_PLACES = _words(
    "Hexi Baishuixia Dahuangliang Hongshiliang Xiaoyi Jinshan Qinglong Wuzhai Huairen "
    "Fengning Shangyi Kangbao Guyuan Pingshan Yangcheng Lingshi Heshun Zuoquan Xiyang "
    "Qinshui Lishi Fenyang Jiaocheng Wenshui Hongdong Jishan Yongji Ruicheng "
    "Xiangning Puxian Daning Yonghe Shilou Zhongyang Liulin Xingxian Lanxian Jingle "
    "Ningwu Shenchi"
)
_ZH_PLACES = _words(
    "河西 白水峡 大黄梁 红石梁 孝义 金山 青龙 五寨 怀仁 丰宁 尚义 康保 沽源 平山 阳城 灵石 和顺 左权 昔阳 沁水 离石 汾阳 交城 文水 洪洞 稷山 "
    "永济 芮城 乡宁 蒲县 大宁 永和 石楼 中阳 柳林 兴县 岚县 静乐 宁武 神池"
)

_KINDS = ["coal", "gas", "hydro", "wind", "solar", "maintenance"]
_KIND_WEIGHTS = [5, 2, 2, 4, 4, 1]
_KIND_EN = {
    "coal": "Power Plant",
    "gas": "Gas-fired Power Plant",
    "hydro": "Hydropower Station",
    "wind": "Wind Farm",
    "solar": "Photovoltaic Power Station",
    "maintenance": "Maintenance and Engineering Co.",
    "other": "Regional Company",
    "headquarters": "Power Group Co., Ltd.",
}
_KIND_ZH = {
    "coal": "发电有限公司",
    "gas": "燃气发电有限公司",
    "hydro": "水电站",
    "wind": "风电场",
    "solar": "光伏电站",
    "maintenance": "检修工程有限公司",
    "other": "区域分公司",
    "headquarters": "电力集团有限公司",
}
_CODES = _words("HX BS DH HS XY JS QL WZ HR FN SY KB GY PS YC LS HS ZQ XY QS")

# Management posts (the STD-03 pattern recognises them); each unit has eight of them.
_MANAGEMENT = [
    ("General manager", "总经理"),
    ("Deputy general manager (production)", "生产副总经理"),
    ("Chief engineer", "总工程师"),
    ("Safety director", "安全总监"),
    ("Head of the Safety Supervision Department", "安全监察部主任"),
    ("Director of the Operations Department", "发电运行部主任"),
    ("Director of the Maintenance Department", "设备维护部主任"),
    ("Director of General Affairs", "综合管理部主任"),
    ("Fuel department manager", "燃料管理部经理"),
    ("Chemistry and environment department manager", "化学环保部经理"),
]
# Operating posts: each needs an operating procedure (STD-03); each unit has twelve.
_OPERATING = [
    ("Shift supervisor", "值长"),
    ("Unit control room operator", "集控运行值班员"),
    ("Boiler inspector", "锅炉点检员"),
    ("Turbine inspector", "汽机点检员"),
    ("Electrical maintenance worker", "电气检修工"),
    ("Instrument and control technician", "热控检修工"),
    ("Chemical operator", "化学运行值班员"),
    ("Coal handling operator", "输煤运行值班员"),
    ("Welder", "焊工"),
    ("Crane operator", "起重机司机"),
    ("Scaffolder", "架子工"),
    ("Warehouse keeper", "仓库保管员"),
    ("Driver", "驾驶员"),
    ("Patrol worker", "巡检工"),
    ("Relay protection technician", "继电保护工"),
    ("Substation operator", "升压站值班员"),
]

_HAZARDS = [
    ("Guard of the coupling of feed pump {n} missing", "{n} 号给水泵联轴器防护罩缺失"),
    ("Handrail of the stairs to the deaerator corroded", "除氧器楼梯扶手锈蚀松动"),
    ("Emergency lighting in cable tunnel {n} out of order", "{n} 号电缆隧道应急照明失效"),
    ("Fire extinguishers at the transformer area past inspection", "主变区域灭火器超期未检"),
    ("Oil leak at the hydraulic station of gate {n}", "{n} 号闸门液压站渗油"),
    ("Cover plate of a trench near the coal conveyor missing", "输煤皮带旁沟道盖板缺失"),
    ("Earthing wire of a switchgear cabinet loose", "开关柜接地线松动"),
    ("Pull-cord switch of belt {n} not working", "{n} 号皮带拉绳开关失灵"),
    ("Gas detector in the hydrogen station out of calibration", "制氢站可燃气体检测仪未校验"),
    ("Tower ladder fall arrester of turbine {n} worn", "{n} 号风机塔筒防坠器磨损"),
    ("Cable entry of combiner box {n} not sealed", "{n} 号汇流箱电缆进线未封堵"),
    ("Warning signs at the ammonia area faded", "氨区安全警示标志褪色"),
    ("Safety valve of air receiver {n} past calibration", "{n} 号储气罐安全阀超期未校验"),
    ("Scaffold at boiler {n} without acceptance tag", "{n} 号炉脚手架未挂验收牌"),
    ("Insulation of the crane trolley cable damaged", "行车滑线电缆绝缘破损"),
    ("Drainage of the switchyard cable trench blocked", "升压站电缆沟排水不畅"),
    ("Anchor bolts of inverter {n} loose", "{n} 号逆变器地脚螺栓松动"),
    ("Water leak through the roof of the control room", "集控楼屋顶渗水"),
    ("Dust accumulated on the coal bunker floor", "煤仓间地面积粉"),
    ("Lifting lugs of the turbine hall crane cracked", "汽机房行车吊耳裂纹"),
]
_MAJOR_HAZARDS = [
    ("Safety valves of the liquid ammonia tanks past calibration", "液氨储罐安全阀超期未校验"),
    ("Dam seepage above the alarm level at section {n}", "大坝 {n} 号坝段渗漏量超过警戒值"),
    ("Unlicensed pressure vessel in use", "未经登记的压力容器在用"),
    ("Hydrogen system leak detection out of service", "氢系统漏氢检测装置退出运行"),
]
_LOCATIONS = [
    ("Boiler house", "锅炉房"),
    ("Turbine hall", "汽机房"),
    ("Coal handling system", "输煤系统"),
    ("Switchyard", "升压站"),
    ("Cable tunnel", "电缆隧道"),
    ("Chemical water treatment", "化学水处理车间"),
    ("Ammonia area", "氨区"),
    ("Hydrogen station", "制氢站"),
    ("Dam and spillway", "大坝及溢洪道"),
    ("Wind turbine site", "风机机位"),
    ("PV array", "光伏阵列"),
    ("Warehouse", "仓库"),
]
_MEASURES = [
    ("Repaired and tested", "已修复并试验合格"),
    ("Replaced with a new part", "已更换新件"),
    ("Area fenced off; repair scheduled", "已设置围栏，安排检修"),
    ("Contractor engaged; work under a work ticket", "委托检修单位按工作票处理"),
]
_COURSES_REFRESHER = [
    ("Annual safety refresher", "年度安全再培训"),
    ("Safety work rules examination", "安全工作规程考试"),
    ("Emergency response and first aid", "应急处置与急救培训"),
    ("Accident cases of the power industry", "电力行业事故案例警示教育"),
    ("Work tickets and operation tickets", "两票管理培训"),
]
_CONTENT = [
    ("Safety laws, post procedures, accident cases", "安全生产法律法规、岗位规程、事故案例"),
    ("Hidden-danger criteria; confined spaces; work at height", "隐患判定标准；有限空间；高处作业"),
    ("Fire fighting and evacuation; first aid", "消防与疏散；现场急救"),
    ("Electrical safety; isolation and earthing", "电气安全；隔离与接地"),
]
_SPECIAL_OPS = [
    ("High-voltage electrician", "高压电工作业"),
    ("Low-voltage electrician", "低压电工作业"),
    ("Welding and thermal cutting", "熔化焊接与热切割作业"),
    ("Work at height", "高处安装、维护、拆除作业"),
    ("Crane operator (special equipment)", "起重机司机（特种设备）"),
    ("Boiler operator (special equipment)", "锅炉作业（特种设备）"),
]
_LAWS = [
    ("《中华人民共和国安全生产法》", "law", dt.date(2021, 9, 1), None),
    ("《中华人民共和国消防法》", "law", dt.date(2021, 4, 29), None),
    ("《中华人民共和国特种设备安全法》", "law", dt.date(2014, 1, 1), None),
    ("《生产安全事故应急条例》", "regulation", dt.date(2019, 4, 1), None),
    ("《生产经营单位安全培训规定》", "rule", dt.date(2015, 7, 1), "SAWS Order No. 3"),
    ("《企业安全生产费用提取和使用管理办法》", "rule", dt.date(2022, 11, 21), "财资〔2022〕136号"),
    ("电力安全工作规程 发电厂和变电站电气部分", "standard", dt.date(2012, 6, 1), "GB 26860-2011"),
    ("企业安全生产标准化基本规范", "standard", dt.date(2017, 4, 1), "GB/T 33000-2016"),
]
_RULES = [
    ("Safety Production Responsibility System", "安全生产责任制"),
    ("Hidden Danger Investigation and Rectification Rules", "事故隐患排查治理制度"),
    ("Work Ticket and Operation Ticket Rules", "两票管理制度"),
    ("Contractor Safety Management Rules", "外包工程安全管理制度"),
    ("Safety Training Rules", "安全教育培训制度"),
]
_RISKS = [
    ("Fire and explosion in the coal handling system", "输煤系统火灾爆炸", "orange"),
    ("Electric shock during work on switchgear", "开关柜作业触电", "orange"),
    ("Fall from height during maintenance", "检修高处坠落", "red"),
    ("Poisoning in confined spaces", "有限空间中毒窒息", "red"),
    ("Dropped loads during lifting", "起重作业物体打击", "yellow"),
    ("Scald by steam or hot water", "蒸汽热水烫伤", "yellow"),
    ("Traffic accident on site roads", "厂内交通事故", "blue"),
]
_CONTROLS = [
    ("Permit to work", "作业许可"),
    ("Gas testing before entry", "进入前气体检测"),
    ("Harness and lifeline", "安全带和生命绳"),
    ("Exclusion zone", "设置警戒区"),
    ("Isolation and earthing", "停电验电接地"),
    ("Fire watch", "专人监护"),
]
_CONTRACTORS = [
    ("Shanxi Huasheng Labour Services Co., Ltd.", "山西华晟劳务有限公司"),
    ("Taiyuan Jiuding Scaffolding Engineering Co., Ltd.", "太原九鼎脚手架工程有限公司"),
    ("Shanxi Tongda Non-destructive Testing Co., Ltd.", "山西通达无损检测有限公司"),
    ("Hebei Anxin Fire Protection Co., Ltd.", "河北安信消防工程有限公司"),
    ("Jinneng Anticorrosion Co., Ltd.", "晋能防腐工程有限公司"),
]
_AUTHORITIES = [
    ("Shanxi Energy Regulatory Office", "国家能源局山西监管办公室"),
    ("Municipal Emergency Management Bureau", "市应急管理局"),
    ("Market Supervision Administration (special equipment)", "市场监督管理局（特种设备）"),
    ("Fire and Rescue Brigade", "消防救援大队"),
]


# ------------------------------------------------------------------------------ YAML output

_PLAIN_START = re.compile(r"""^[^\s\-?:,\[\]{}#&*!|>'"%@`]""")
_FLOW_CHARS = re.compile(r"[,\[\]{}]")
_NOT_TEXT = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|no|No|on|On|off|Off|[-+.\d].*)$"
)


def _scalar(value: Any, flow: bool = False) -> str:
    """One YAML scalar: plain where that is safe and reads naturally, double-quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    plain = (
        bool(_PLAIN_START.match(text))
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and not _NOT_TEXT.match(text)
        and not (flow and _FLOW_CHARS.search(text))
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _flow(mapping: dict[str, Any]) -> str:
    """A one-line flow mapping; ``None`` values are left out, lists become flow sequences."""
    parts = []
    for key, value in mapping.items():
        if value is None:
            continue
        if isinstance(value, list):
            inner = ", ".join(_flow(v) if isinstance(v, dict) else _scalar(v, True) for v in value)
            parts.append(f"{key}: [{inner}]")
        else:
            parts.append(f"{key}: {_scalar(value, True)}")
    return "{" + ", ".join(parts) + "}"


class _Writer:
    """Collects the lines of one file."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, indent: int, text: str) -> None:
        self.lines.append("  " * indent + text)

    def field(self, indent: int, key: str, value: Any) -> None:
        if value is not None:
            self.line(indent, f"{key}: {_scalar(value)}")

    def item(self, indent: int, mapping: dict[str, Any]) -> None:
        self.line(indent, "- " + _flow(mapping))

    def section(self, title: str) -> None:
        self.lines.append("")
        self.lines.append("# " + "-" * 66 + " " + title)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# ------------------------------------------------------------------------------ one unit


@dataclass
class _Unit:
    """What the sections of one unit share."""

    index: int
    rng: random.Random
    zh: bool
    as_of: dt.date
    code: str
    # names given so far: two people of one name in a list are an error the tool reports
    named: set[str] = field(default_factory=set)

    def t(self, pair: tuple[str, str]) -> str:
        """The English or Chinese text of a pair."""
        return pair[1] if self.zh else pair[0]

    def person(self) -> str:
        """A name no one else in this unit has."""
        while True:
            name = self._name()
            if name not in self.named:
                self.named.add(name)
                return name

    def _name(self) -> str:
        r = self.rng
        if self.zh:
            return r.choice(_ZH_SURNAMES) + "".join(
                r.choice(_ZH_GIVEN) for _ in range(r.choice((1, 2)))
            )
        return f"{r.choice(_SURNAMES)} {r.choice(_GIVEN)}"

    def ago(self, low: int, high: int) -> dt.date:
        """A date between ``low`` and ``high`` days before the as-of date."""
        return self.as_of - dt.timedelta(days=self.rng.randint(low, high))

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        return day + dt.timedelta(days=self.rng.randint(low, high))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def _min_funds(revenue: float) -> float:
    """The minimum safety funds on a revenue (marginal rates, as rule PLAN-05)."""
    tiers = [(1e7, 0.03), (1e8, 0.015), (1e9, 0.01), (5e9, 0.008), (1e10, 0.006)]
    total, lower = 0.0, 0.0
    for upper, rate in tiers:
        if revenue <= upper:
            return total + (revenue - lower) * rate
        total += (upper - lower) * rate
        lower = upper
    return total + (revenue - lower) * 0.002


def unit_text(index: int, seed: int, as_of: dt.date = AS_OF) -> str:
    """The YAML text of unit ``u{index:04d}``; depends only on ``seed`` and ``index``."""
    rng = random.Random(f"compliance-benchmarks:{seed}:{index}")
    if index == 1:
        kind, parent = "headquarters", None
    elif index <= 1 + REGIONAL_UNITS:
        kind, parent = "other", "u0001"
    else:
        kind = rng.choices(_KINDS, _KIND_WEIGHTS)[0]
        parent = f"u{rng.randint(1, min(index - 1, 1 + REGIONAL_UNITS)):04d}"
    zh = rng.random() < 0.4
    u = _Unit(index, rng, zh, as_of, rng.choice(_CODES) + str(index))
    w = _Writer()
    place = rng.choice(_ZH_PLACES if zh else _PLACES)
    if zh:
        name = f"北源电力{place}{_KIND_ZH[kind]}"
        if kind == "headquarters":
            name = "北源电力集团有限公司"
        w.line(0, f"# {name}：合成的基准测试单位（第 {index} 号），数据为虚构。")
    else:
        name = f"Beiyuan {place} {_KIND_EN[kind]}"
        if kind == "headquarters":
            name = "Beiyuan Power Group Co., Ltd."
        w.line(0, f"# {name}: synthetic unit no. {index} for the benchmarks; the data is made up.")
    w.line(0, "schema_version: 1")
    w.lines.append("")
    principal, contact = u.person(), u.person()
    employees = rng.randint(30, 60) if kind in ("wind", "solar") else rng.randint(120, 900)
    w.line(0, "unit:")
    w.field(1, "id", f"u{index:04d}")
    w.field(1, "name", name)
    w.field(1, "short_name", place)
    w.field(1, "parent", parent)
    w.field(1, "kind", kind)
    w.field(1, "employees", employees)
    if kind not in ("headquarters", "other", "maintenance"):
        w.field(1, "capacity_mw", rng.choice((50, 100, 200, 300, 660, 1320)))
    w.field(
        1,
        "address",
        f"{place}工业园区电厂路 {index} 号" if zh else f"No. {index} Power Road, {place}",
    )
    w.line(1, "principal:")
    w.field(2, "name", principal)
    w.field(2, "post", u.t(_MANAGEMENT[0]))
    w.line(1, "safety_contact:")
    w.field(2, "name", contact)
    w.field(2, "post", u.t(_MANAGEMENT[4]))
    w.lines.append("")
    w.field(0, "valid_on", u.ago(2, 12))
    _concepts(u, w, principal)
    operating = _responsibility(u, w, principal, contact)
    _planning(u, w, principal)
    _rule_of_law(u, w)
    _standards(u, w, operating, kind)
    _quality(u, w, principal, contact)
    _risks(u, w, principal, contact)
    _waivers(u, w)
    return w.text()


def _concepts(u: _Unit, w: _Writer, principal: str) -> None:
    w.section("concepts" if not u.zh else "安全理念")
    w.line(0, "concepts:")
    w.line(1, "safety_policy:")
    w.field(
        2, "title", "安全第一、预防为主、综合治理" if u.zh else "Safety first, prevention foremost"
    )
    approved = u.ago(200, 700)
    w.field(2, "approved_on", approved)
    w.field(2, "approved_by", principal)
    review = u.ago(5, 60) if u.chance(0.1) else u.later(u.as_of, 30, 400)
    w.field(2, "next_review", review)
    w.line(1, "culture_activities:")
    month = dt.date(
        u.as_of.year if u.as_of.month > 6 else u.as_of.year - 1, 6, u.rng.randint(1, 28)
    )
    w.item(
        2,
        {
            "name": "安全生产月" if u.zh else "Safety Month",
            "date": month,
            "kind": "safety_month",
            "participants": u.rng.randint(40, 600),
        },
    )
    w.item(
        2,
        {
            "name": "安全知识竞赛" if u.zh else "Safety knowledge competition",
            "date": u.ago(10, 300),
            "kind": "competition",
            "participants": u.rng.randint(20, 90),
        },
    )
    w.line(1, "leadership_meetings:")
    planned = u.rng.choice((4, 6))
    w.field(2, "planned_per_year", planned)
    w.line(2, "held:")
    held = planned - (1 if u.chance(0.08) else 0)
    for k in range(held):
        day = u.as_of - dt.timedelta(days=20 + k * (340 // planned) + u.rng.randint(0, 10))
        w.item(
            3,
            {
                "date": day,
                "topic": "安全生产分析会" if u.zh else "Monthly safety meeting",
                "chaired_by": principal,
            },
        )


def _responsibility(u: _Unit, w: _Writer, principal: str, contact: str) -> list[str]:
    """Writes the responsibility section; returns the operating posts (for STD-03)."""
    w.section("responsibility" if not u.zh else "安全责任")
    w.line(0, "responsibility:")
    w.line(1, "first_responsible:")
    w.field(2, "name", principal)
    w.field(2, "post", u.t(_MANAGEMENT[0]))
    w.field(2, "appointed_on", u.ago(400, 2000))
    w.field(2, "statement_signed_on", u.ago(300, 330))
    w.line(1, "leaders:")
    for pair in _MANAGEMENT[1:4]:
        scope = (
            None
            if u.chance(0.03)
            else ("分管范围内的安全生产" if u.zh else "Safety of the departments in the portfolio")
        )
        w.item(
            2,
            {
                "name": u.person(),
                "post": u.t(pair),
                "safety_scope": scope,
                "signed_on": u.ago(300, 330),
            },
        )
    w.line(1, "posts:")
    management = _MANAGEMENT[:8]
    operating = u.rng.sample(_OPERATING, POSTS - len(management))
    holders = {_MANAGEMENT[0][0]: principal, _MANAGEMENT[4][0]: contact}
    for pair in management + operating:
        post = u.t(pair)
        stale = u.chance(0.05)
        w.item(
            2,
            {
                "post": post,
                "responsible": holders.get(pair[0]) or u.person(),
                "scope": "岗位安全生产职责" if u.zh else "Safety of the post's equipment and work",
                "assessment_criteria": None
                if u.chance(0.02)
                else ("无违章、无伤害" if u.zh else "No violation, no injury"),
                "signed_on": u.ago(380, 600) if stale else u.ago(300, 330),
                "assessed_on": u.ago(400, 500) if u.chance(0.03) else u.ago(100, 140),
                "assessment_result": u.rng.choice(("pass", "pass", "pass", "excellent", "fail")),
            },
        )
    w.line(1, "safety_committee:")
    w.field(2, "chair", principal)
    w.field(2, "established_on", u.ago(3000, 6000))
    w.field(2, "meetings_per_year", 4)
    w.line(2, "meetings:")
    for k in range(3 if u.chance(0.08) else 4):
        w.item(
            3,
            {
                "date": u.as_of - dt.timedelta(days=30 + 85 * k),
                "topic": "季度安全形势分析" if u.zh else "Quarterly safety review",
            },
        )
    w.line(1, "safety_department:")
    w.field(2, "name", "安全监察部" if u.zh else "Safety Supervision Department")
    w.field(2, "head", contact)
    w.field(1, "full_time_safety_managers", u.rng.randint(1, 9))
    return [u.t(p) for p in operating]


def _planning(u: _Unit, w: _Writer, principal: str) -> None:
    w.section("planning" if not u.zh else "安全规划")
    w.line(0, "planning:")
    w.line(1, "annual_plan:")
    w.field(2, "year", u.as_of.year)
    w.field(
        2,
        "title",
        f"{u.as_of.year} 年安全生产工作计划" if u.zh else f"{u.as_of.year} Work Safety Plan",
    )
    w.field(2, "approved_on", u.ago(300, 330))
    w.field(2, "approved_by", principal)
    w.line(1, "three_year_action:")
    w.field(
        1 + 1,
        "title",
        "安全生产治本攻坚三年行动实施方案"
        if u.zh
        else "Three-Year Action for Fundamental Safety Governance",
    )
    w.field(2, "approved_on", dt.date(2024, 3, u.rng.randint(1, 28)))
    w.line(2, "tasks:")
    for k in range(5):
        due = dt.date(2024, 6, 30) + dt.timedelta(days=k * 190)
        overdue = due < u.as_of and u.chance(0.08)
        done = due < u.as_of and not overdue
        w.item(
            3,
            {
                "id": f"{u.code}-T{k + 1}",
                "title": f"治本攻坚任务 {k + 1}" if u.zh else f"Governance task {k + 1}",
                "owner": u.person(),
                "due": due,
                "status": "done" if done else "in_progress",
                "completed_on": due - dt.timedelta(days=u.rng.randint(1, 20)) if done else None,
            },
        )
    w.line(1, "funding:")
    revenue = u.rng.randint(50, 2000) * 1_000_000
    minimum = _min_funds(revenue)
    extracted = minimum * (0.85 if u.chance(0.1) else u.rng.uniform(1.0, 1.3))
    extracted = float(int(extracted / 10_000) + 1) * 10_000
    w.field(2, "year", u.as_of.year)
    w.field(2, "revenue_prev_year_cny", revenue)
    w.field(2, "extracted_cny", int(extracted))
    w.field(2, "spent_cny", int(extracted * u.rng.uniform(0.5, 0.95)))
    w.field(2, "ledger_kept", not u.chance(0.04))
    w.line(1, "emergency_plans:")
    kinds = ["comprehensive", "special", "special", "onsite", "onsite", "onsite"]
    titles = {
        "comprehensive": ("Comprehensive Emergency Plan", "综合应急预案"),
        "special": ("Special Emergency Plan", "专项应急预案"),
        "onsite": ("On-site Disposal Plan", "现场处置方案"),
    }
    for k, kind in enumerate(kinds):
        approved = u.ago(100, 1000) if not u.chance(0.03) else u.ago(1200, 1400)
        drills = []
        if kind == "onsite":
            if not u.chance(0.04):  # a plan never drilled
                last = u.ago(200, 300) if u.chance(0.18) else u.ago(10, 170)
                drills = [
                    {
                        "date": last - dt.timedelta(days=180),
                        "kind": "tabletop",
                        "participants": u.rng.randint(6, 30),
                        "evaluated": True,
                    },
                    {
                        "date": last,
                        "kind": "functional",
                        "participants": u.rng.randint(6, 30),
                        "evaluated": True,
                    },
                ]
        else:
            drills = [
                {
                    "date": u.ago(30, 330),
                    "kind": u.rng.choice(("tabletop", "full_scale")),
                    "participants": u.rng.randint(20, 200),
                    "evaluated": not u.chance(0.1),
                }
            ]
        w.item(
            2,
            {
                "id": f"{u.code}-EP-{k + 1:02d}",
                "title": f"{u.t(titles[kind])} {k + 1}",
                "kind": kind,
                "approved_on": approved,
                "evaluated_on": approved,
                "drills": drills,
            },
        )


def _rule_of_law(u: _Unit, w: _Writer) -> None:
    w.section("rule of law" if not u.zh else "安全法治")
    w.line(0, "rule_of_law:")
    w.line(1, "legal_register:")
    w.field(2, "reviewed_on", u.ago(400, 480) if u.chance(0.06) else u.ago(20, 300))
    w.line(2, "entries:")
    for title, kind, effective, number in u.rng.sample(_LAWS, 4):
        w.item(3, {"title": title, "number": number, "kind": kind, "effective_on": effective})
    w.line(1, "safety_rules:")
    for k, pair in enumerate(_RULES[:3]):
        issued = u.ago(100, 1200)
        draft = u.chance(0.03)
        w.item(
            2,
            {
                "title": u.t(pair),
                "number": f"{u.code}-AQ-{k + 1:03d}",
                "issued_on": None if draft else issued,
                "status": "draft" if draft else "current",
            },
        )
    w.line(1, "violations:")
    for k in range(2):
        day = u.ago(20, 300)
        closed = not u.chance(0.12)
        w.item(
            2,
            {
                "id": f"{u.code}-V-{k + 1:03d}",
                "date": day,
                "description": "未按规定佩戴安全带" if u.zh else "Work at height without a harness",
                "status": "closed" if closed else "open",
                "closed_on": u.later(day, 1, 10) if closed else None,
            },
        )
    w.line(1, "inspections:")
    for k in range(2):
        day = u.ago(60, 330)
        closed = not u.chance(0.1)
        w.item(
            2,
            {
                "id": f"{u.code}-INS-{k + 1:02d}",
                "date": day,
                "authority": u.t(u.rng.choice(_AUTHORITIES)),
                "issues_found": u.rng.randint(1, 6),
                "status": "closed" if closed else "open",
                "closed_on": u.later(day, 20, 50) if closed else None,
            },
        )
    w.line(1, "contractors:")
    for pair in u.rng.sample(_CONTRACTORS, 3):
        signed = u.ago(30, 300)
        expires = u.ago(5, 60) if u.chance(0.06) else u.later(u.as_of, 30, 300)
        w.item(
            2,
            {
                "name": u.t(pair),
                "scope": "外包检修" if u.zh else "Outsourced maintenance",
                "agreement_signed_on": signed,
                "agreement_expires": expires,
            },
        )


def _standards(u: _Unit, w: _Writer, operating: list[str], kind: str) -> None:
    w.section("standards" if not u.zh else "安全标准")
    w.line(0, "standards:")
    w.line(1, "standardisation:")
    w.field(2, "grade", u.rng.choice((1, 2, 2, 3)))
    w.field(2, "certificate_no", f"BZH-{u.code}-2024")
    certified = u.ago(400, 1000)
    w.field(2, "certified_on", certified)
    w.field(2, "expires", u.ago(10, 90) if u.chance(0.06) else u.later(u.as_of, 60, 700))
    w.line(1, "operating_procedures:")
    missing = u.rng.randrange(len(operating)) if u.chance(0.1) else -1
    for k, post in enumerate(operating):
        if k != missing:
            w.item(
                2,
                {"post": post, "number": f"{u.code}-GC-{k + 1:03d}", "reviewed_on": u.ago(30, 400)},
            )
    if kind not in ("headquarters", "maintenance"):
        tickets = {
            "work_tickets": True,
            "operation_tickets": not u.chance(0.02),
            "last_audit_on": u.ago(5, 40),
            "qualified_rate": round(u.rng.uniform(95, 100), 1),
        }
        w.line(1, "two_tickets: " + _flow(tickets))
        systems = {
            "shift_handover": True,
            "patrol_inspection": True,
            "equipment_testing_rotation": not u.chance(0.03),
        }
        w.line(1, "three_systems: " + _flow(systems))


def _training(
    u: _Unit, kind: str, hours: float, day: dt.date, level: str | None = None
) -> dict[str, Any]:
    course = {
        "initial": ("Initial safety training", "安全生产知识和管理能力初次培训"),
        "pre_job": ("Three-level pre-job training", "三级安全教育"),
    }
    record: dict[str, Any] = {
        "date": day,
        "course": u.t(course[kind]) if kind in course else u.t(u.rng.choice(_COURSES_REFRESHER)),
        "kind": kind,
        "level": level,
        "hours": hours,
        "content": u.t(u.rng.choice(_CONTENT)),
        "result": None if u.chance(0.004) else "pass",
    }
    return record


def _quality(u: _Unit, w: _Writer, principal: str, contact: str) -> None:
    """Nine people, exactly :data:`TRAINING_RECORDS` training records between them."""
    w.section("quality" if not u.zh else "安全素质")
    w.line(0, "quality:")
    w.line(1, "staff:")
    short = u.chance(0.1)
    people: list[tuple[str, str, str, list[dict[str, Any]]]] = []
    # principal and safety managers: initial training years ago, refreshers every year
    managers = (
        (principal, _MANAGEMENT[0], "principal"),
        (contact, _MANAGEMENT[4], "safety_manager"),
        (u.person(), _MANAGEMENT[3], "safety_manager"),
    )
    for name, post_pair, role in managers:
        records = [_training(u, "initial", 32, u.ago(1500, 3000))]
        for year in range(4):
            hours = 8 if (short and year == 0 and role == "principal") else 12
            day = u.ago(40 + 365 * year, 200 + 365 * year)
            records.append(_training(u, "refresher", hours, day))
        people.append((name, u.t(post_pair), role, records))
    records = [_training(u, "refresher", 8, u.ago(40 + 365 * y, 200 + 365 * y)) for y in range(5)]
    people.append((u.person(), u.t(_MANAGEMENT[1]), "leader", records))
    # two new employees: three levels of pre-job training (now and then one missing)
    for _ in range(2):
        hired = u.ago(60, 200)
        levels = ["plant", "team"] if u.chance(0.12) else ["plant", "workshop", "team"]
        records = [
            _training(u, "pre_job", 8, u.later(hired, k * 2, k * 2 + 1), level)
            for k, level in enumerate(levels)
        ]
        people.append((u.person(), u.t(u.rng.choice(_OPERATING)), "new_employee", records))
    # operating staff take the remaining records, about three a year; now and then lapsed
    used = sum(len(p[3]) for p in people)
    staff = 3
    for k in range(staff):
        count = (TRAINING_RECORDS - used) // (staff - k)
        used += count
        lapsed = 400 if u.chance(0.06) else 0
        records = [
            _training(
                u,
                "refresher",
                u.rng.choice((4, 8)),
                u.ago(20 + lapsed + 120 * y, 100 + lapsed + 120 * y),
            )
            for y in range(count)
        ]
        people.append((u.person(), u.t(u.rng.choice(_OPERATING)), "staff", records))
    for name, post, role, records in people:
        w.line(2, f"- name: {_scalar(name)}")
        w.field(3, "post", post)
        w.field(3, "role", role)
        w.line(3, "training:")
        for record in sorted(records, key=lambda r: r["date"]):
            w.item(4, record)
    w.line(1, "special_operations:")
    for pair in u.rng.sample(_SPECIAL_OPS, 5):
        issued = u.ago(300, 2000)
        no_cert = u.chance(0.02)
        expires = u.ago(5, 120) if u.chance(0.05) else u.later(u.as_of, 30, 1500)
        cert = None if no_cert else f"T{u.rng.randint(10**15, 10**16 - 1)}"
        w.item(
            2,
            {
                "name": u.person(),
                "operation": u.t(pair),
                "certificate_no": cert,
                "issued_on": issued,
                "expires": None if no_cert else expires,
            },
        )


def _risks(u: _Unit, w: _Writer, principal: str, contact: str) -> None:
    w.section("risks" if not u.zh else "双重预防")
    w.line(0, "risks:")
    w.line(1, "risk_register:")
    for k, (en, zh, grade) in enumerate(_RISKS[:6]):
        controls = [u.t(c) for c in u.rng.sample(_CONTROLS, 2)]
        no_owner = grade == "red" and u.chance(0.03)
        w.item(
            2,
            {
                "id": f"{u.code}-R-{k + 1:02d}",
                "hazard": zh if u.zh else en,
                "grade": grade,
                "controls": controls,
                "owner": None if no_owner else u.person(),
                "reviewed_on": u.ago(30, 300),
            },
        )
    w.line(1, "hidden_dangers:")
    major_at = u.rng.randrange(HIDDEN_DANGERS) if u.chance(0.3) else -1
    for k in range(HIDDEN_DANGERS):
        found = u.ago(5, 330)
        major = k == major_at
        deadline = u.later(found, 60, 150) if major else u.later(found, 7, 60)
        if deadline < u.as_of:
            status = "rectifying" if u.chance(0.04 if not major else 0.3) else "closed"
        else:
            status = u.rng.choice(("open", "rectifying", "rectifying", "closed"))
        closed_on = min(u.later(found, 2, 40), u.as_of) if status == "closed" else None
        verified = closed_on is not None and not u.chance(0.01)
        pair = u.rng.choice(_MAJOR_HAZARDS if major else _HAZARDS)
        record: dict[str, Any] = {
            "id": f"{u.code}-HD-{k + 1:03d}",
            "description": u.t(pair).format(n=u.rng.randint(1, 8)),
            "location": u.t(u.rng.choice(_LOCATIONS)),
            "found_on": found,
            "level": "major" if major else "general",
            "owner": u.person(),
            "deadline": deadline,
            "status": status,
            "closed_on": closed_on,
            "verified_by": contact if verified else None,
            "verified_on": closed_on if verified else None,
            "measures": u.t(u.rng.choice(_MEASURES)),
            "funds_cny": u.rng.randint(1, 200) * 1000,
        }
        if major:
            record["contingency_plan"] = (
                None
                if u.chance(0.2)
                else (
                    "专项应急预案，专人值守"
                    if u.zh
                    else "Special plan; area guarded around the clock"
                )
            )
            record["reported_to_regulator_on"] = u.later(found, 1, 4)
            record["reported_to_workers_congress_on"] = (
                None if u.chance(0.25) else u.later(found, 5, 30)
            )
        w.item(2, record)
    w.line(1, "major_inspections:")
    last = u.ago(100, 140) if u.chance(0.1) else u.ago(5, 80)
    for k in range(3):
        w.item(
            2,
            {
                "date": last - dt.timedelta(days=90 * k),
                "led_by": principal,
                "scope": "重大事故隐患排查" if u.zh else "Major hidden dangers, all systems",
            },
        )
    w.line(1, "disclosure:")
    w.field(2, "last_disclosed_on", u.ago(10, 200))
    w.field(2, "channel", "厂务公开栏" if u.zh else "Notice boards")


def _waivers(u: _Unit, w: _Writer) -> None:
    if not u.chance(0.1):
        return
    w.section("waivers" if not u.zh else "豁免")
    w.line(0, "waivers:")
    w.line(1, "- rule: PLAN-06")
    w.field(2, "item", f"{u.code}-EP-04")
    w.field(2, "pack", "cn-work-safety")
    w.field(
        2,
        "reason",
        "机组长期停备，演练并入集团联合演练"
        if u.zh
        else "Unit in long-term reserve; drilled in the group's joint drill",
    )
    w.field(2, "approved_by", u.person())
    expired = u.chance(0.2)
    w.field(2, "expires", u.ago(5, 60) if expired else u.later(u.as_of, 30, 200))


def generate(n: int, seed: int, folder: Path | str, as_of: dt.date = AS_OF) -> list[Path]:
    """Write ``n`` unit files ``u0001.yaml``... into ``folder``; returns their paths.

    Deterministic: the same ``seed`` gives the same bytes, and unit ``i`` is the same
    whatever ``n``. ``u0001`` is the headquarters, ``u0002``-``u0005`` regional companies
    below it, every other unit is below one of those.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, n + 1):
        path = out / f"u{index:04d}.yaml"
        path.write_text(unit_text(index, seed, as_of), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.generate N FOLDER [--seed S]``."""
    parser = argparse.ArgumentParser(description="Write a synthetic group of unit files.")
    parser.add_argument("n", type=int, help="number of units")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.seed, args.folder)
    print(f"wrote {len(paths)} units to {args.folder}")


def write_findings_unit(posts: int, seed: int, path: Path, as_of: dt.date = AS_OF) -> Path:
    """Write one unit with ``posts`` management posts, each signed more than 12 months ago.

    Each post fails RESP-03 and nothing else, so the unit's report has a findings table (and a
    rectification plan) of ``posts`` rows plus the unit's few other findings: the input of the
    DOCX linear-time benchmark.
    """
    rng = random.Random(f"compliance-benchmarks:findings:{seed}:{posts}")
    text = unit_text(6, seed, as_of).replace("id: u0006", f"id: rows-{posts}", 1)
    start = text.index("  posts:\n")
    end = text.index("  safety_committee:\n")
    lines = ["  posts:"]
    for k in range(posts):
        pair = _MANAGEMENT[k % len(_MANAGEMENT)]
        signed = as_of - dt.timedelta(days=rng.randint(380, 700))
        assessed = as_of - dt.timedelta(days=rng.randint(60, 200))
        post = {
            "post": f"{pair[0]} {k + 1:04d}",
            "category": "management",
            "responsible": f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}",
            "scope": "Safety of the post's equipment and work",
            "assessment_criteria": "No violation, no injury",
            "signed_on": signed,
            "assessed_on": assessed,
            "assessment_result": "pass",
        }
        lines.append("    - " + _flow(post))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text[:start] + "\n".join(lines) + "\n" + text[end:], encoding="utf-8")
    return path


def write_dangers_unit(dangers: int, seed: int, path: Path, as_of: dt.date = AS_OF) -> Path:
    """Write one unit whose hidden-danger register has ``dangers`` entries, all past deadline.

    Each one fails RISK-04 (open past its deadline), so the unit's report has ``dangers``
    findings of one rule: the input of the "4,500 hidden dangers vs 450" benchmark.
    """
    rng = random.Random(f"compliance-benchmarks:dangers:{seed}:{dangers}")
    text = unit_text(6, seed, as_of).replace("id: u0006", f"id: dangers-{dangers}", 1)
    start = text.index("  hidden_dangers:\n")
    end = text.index("  major_inspections:\n")
    lines = ["  hidden_dangers:"]
    for k in range(dangers):
        found = as_of - dt.timedelta(days=rng.randint(60, 300))
        pair = _HAZARDS[k % len(_HAZARDS)]
        record = {
            "id": f"HD-{k + 1:05d}",
            "description": pair[0].format(n=rng.randint(1, 8)),
            "location": _LOCATIONS[k % len(_LOCATIONS)][0],
            "found_on": found,
            "level": "general",
            "owner": f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}",
            "deadline": found + dt.timedelta(days=rng.randint(7, 50)),
            "status": "rectifying",
            "measures": _MEASURES[k % len(_MEASURES)][0],
            "funds_cny": rng.randint(1, 200) * 1000,
        }
        lines.append("    - " + _flow(record))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text[:start] + "\n".join(lines) + "\n" + text[end:], encoding="utf-8")
    return path


def write_long_text_unit(size: int, seed: int, path: Path, as_of: dt.date = AS_OF) -> Path:
    """Write one unit whose name and one hidden danger's description are ``size`` bytes long.

    Half of the text is words, half one unbroken run of characters (people paste such things):
    the input of the "25 KB name vs 2.5 KB" benchmark.
    """
    text = unit_text(6, seed, as_of).replace("id: u0006", f"id: long-{size}", 1)
    words = ("Beiyuan power generation company, " * (size // 68 + 1))[: size // 2]
    run = ("安全生产" * (size // 24 + 1))[: size // 6]  # 3 bytes a character in UTF-8
    name = json.dumps(words + run, ensure_ascii=False)
    text = re.sub(r"(?m)^  name: .*$", "  name: " + name.replace("\\", "\\\\"), text, count=1)
    text = re.sub(r"(description: )([^,]+)(, location)", r"\1" + name + r"\3", text, count=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_signin_meeting(participants: int, path: Path) -> Path:
    """Write a meeting file with ``participants`` people (a large conference's sign-in sheet)."""
    lines = [
        "schema_version: 1",
        "meeting:",
        "  issuing_body: Beiyuan Power Group work safety committee",
        "  kind: work_safety_conference",
        f"  title: Work safety conference of {participants} participants",
        "  date: 2026-11-27",
        "  start: '09:00'",
        "  end: '11:30'",
        "  place: Conference centre, hall 1",
        "  chair: Du Yuanhang",
        "participants:",
    ]
    rng = random.Random(f"compliance-benchmarks:signin:{participants}")
    for k in range(participants):
        person = {
            "name": f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)} {k + 1:05d}",
            "unit": f"Unit {k % 97 + 1:03d}",
            "post": "Safety manager",
        }
        lines.append("  - " + _flow(person))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Columns of a hidden-danger ledger as a safety department keeps it (Chinese headers).
SHEET_HEADER = [
    "隐患编号",
    "隐患描述",
    "隐患部位",
    "发现日期",
    "隐患等级",
    "整改责任人",
    "整改期限",
    "整改状态",
    "整改完成日期",
    "验收人",
    "验收日期",
    "整改措施",
    "整改资金（元）",
]


def write_sheet_unit(rows: int, folder: Path, seed: int, as_of: dt.date = AS_OF) -> Path:
    """Write ``FOLDER/unit.yaml`` whose ``rows`` hidden dangers come from
    ``FOLDER/ledgers/隐患台账.xlsx``; returns the unit file.

    The workbook is typed as a safety department types it: Chinese headers and values
    (一般/重大, 已整改), 2026/3/5 text next to real date cells, funds as ``12,000`` text; most
    hazards closed on time, a few open, so findings stay realistic rather than one per row.
    """
    import openpyxl

    rng = random.Random(f"compliance-benchmarks:sheet:{seed}:{rows}")
    u = _Unit(0, rng, zh=True, as_of=as_of, code="SB")
    (folder / "ledgers").mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    ws.append(SHEET_HEADER)
    for k in range(rows):
        found = u.ago(20, 330)
        deadline = u.later(found, 7, 60)
        closed = deadline < as_of or u.chance(0.5)
        closed_on = min(u.later(found, 2, 6), as_of) if closed else None
        ws.append(
            [
                f"HD-{k + 1:06d}",
                u.t(rng.choice(_HAZARDS)).format(n=rng.randint(1, 8)),
                u.t(rng.choice(_LOCATIONS)),
                found if k % 2 else f"{found.year}/{found.month}/{found.day}",
                "重大" if u.chance(0.01) else "一般",
                u.person(),
                deadline,
                "已整改" if closed else "整改中",
                closed_on,
                u.person() if closed else None,
                closed_on,
                u.t(rng.choice(_MEASURES)),
                f"{rng.randint(1, 50) * 1000:,}",
            ]
        )
    wb.save(folder / "ledgers" / "隐患台账.xlsx")
    unit = folder / "unit.yaml"
    unit.write_text(
        "unit: {id: sheet-bench, name: 表格基准单位, kind: 燃煤发电, employees: 620人}\n"
        f"valid_on: {as_of.isoformat()}\n"
        "risks:\n  hidden_dangers: {from: ledgers/隐患台账.xlsx, sheet: 隐患台账}\n",
        encoding="utf-8",
    )
    return unit


if __name__ == "__main__":
    main()
