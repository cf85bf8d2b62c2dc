"""The example county's year as data: who submits what and when, and where it is adopted.

Drawn from ``random.Random(seed)`` (see build_sample), before anything is written: sample.py lays the
items out as the registers a county's information office collects. The phrase tables make titles that
read like real ones and stay apart (no two are near-duplicates unless meant as such).
"""
from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Optional

from ..normalise.text import norm_title
from .roster_data import CITY, G_DEPT1, G_DEPT2, G_TOWN, PROVINCE, UNIT_TOPICS

# ---- phrase tables -------------------------------------------------------------------

APPROACHES = (
    "多措并举", "精准发力", "聚焦“四个强化”", "坚持“三个结合”", "以“五个一”工作法", "创新“党建+”模式",
    "“线上+线下”联动", "突出“早、实、细”", "强化“三项机制”", "念好“三字经”", "“三个一批”", "靶向施策",
    "坚持问题导向", "建立“周调度”机制",
)
SLOGANS = ("党建+", "网格+", "互联网+", "一线工作法", "四下基层", "马上就办", "清单化管理", "亮晒比")

# (template, kinds) — {u} unit as written in titles, {t} topic, {a} approach, {s} slogan, {m} month number
TEMPLATES = (
    ("{u}{a}推进{t}", ("动态", "一般", "重要")),
    ("{u}扎实开展{t}工作", ("动态", "一般")),
    ("{u}{t}工作取得阶段性成效", ("动态", "一般", "重要")),
    ("{u}{a}抓实{t}", ("动态", "一般")),
    ("{u}：{t}跑出“加速度”", ("动态", "一般")),
    ("{u}聚焦{t}打好“组合拳”", ("动态", "一般", "重要")),
    ("{u}{t}按下“快进键”", ("动态",)),
    ("{u}“{s}”助力{t}", ("动态", "一般")),
    ("{u}{t}见行见效", ("动态", "一般")),
    ("{u}全力做好{t}", ("动态", "一般")),
    ("{u}{m}月份{t}工作有序推进", ("动态",)),
    ("{u}持续深化{t}", ("一般", "动态")),
    ("{u}以“小切口”推动{t}“大变化”", ("动态", "重要")),
    ("{u}召开{t}工作推进会", ("重要",)),
    ("{u}专题部署{t}工作", ("重要",)),
    ("{u}主要负责同志调研督导{t}", ("重要",)),
    ("关于{u}{t}情况的调研报告", ("调研",)),
    ("{u}推进{t}的实践与思考", ("调研",)),
    ("{u}{t}调查与建议", ("调研",)),
    ("{u}{t}中存在的问题及建议", ("专报",)),
    ("{u}{t}面临的困难亟待关注", ("专报",)),
    ("{u}关于{t}有关情况的报告", ("专报",)),
)
URGENT_TEMPLATES = ("{u}迅速处置{p}{i}", "{u}及时妥善处置{p}{i}", "{u}连夜处置{p}{i}")

TOWN_SEASONAL = (
    ("春耕备耕", (2, 3, 4)), ("秸秆禁烧", (5, 6, 10)), ("防汛备汛", (4, 5, 6, 7)),
    ("森林防火", (1, 2, 3, 4, 11, 12)), ("秋收秋种", (9, 10)), ("冬春农田水利建设", (1, 11, 12)),
    ("节日期间安全生产", (1, 2, 9, 10)), ("义务植树", (3,)), ("征兵", (7, 8, 9)),
    ("城乡居民医保参保征缴", (10, 11, 12)), ("人居环境整治", ()), ("矛盾纠纷排查化解", ()),
    ("基层党建", ()), ("防止返贫监测帮扶", ()), ("燃气安全隐患排查", ()),
)
DEPT_GENERIC = ("机关作风建设", "政务公开", "安全生产", "优化营商环境")

VILLAGES = (
    "桂花村", "大坪村", "黄泥村", "枫林村", "石门村", "马家湾村", "新屋村", "杨柳村", "高桥村", "水口村",
    "竹园村", "上坪村", "沙溪村", "龙潭村", "狮子岩村", "白果村",
)
TOWN_INCIDENTS = ("山林火情", "强降雨引发的山体滑坡险情", "一起农房火灾", "山洪险情", "道路塌方险情")
DEPT_INCIDENTS = {
    "县公安局": ("一起较大道路交通事故", "一起群体性纠纷", "一起老人走失警情"),
    "县应急管理局": ("一起危化品运输车辆侧翻险情", "一起工贸企业火情", "强对流天气灾情"),
    "县水利局": ("一处山塘渗漏险情", "河道堤防管涌险情"),
    "县卫生健康局": ("一起聚集性发热病例", "一起食物中毒事件"),
    "县消防救援大队": ("一起居民楼火灾", "一起车辆自燃"),
    "县交通运输局": ("一处国道边坡塌方", "一起渡口安全险情"),
    "县林业局": ("一起森林火情",),
}
# registers of these units carry a 事件时间 column and times of day (timeliness is judged)
EVENT_UNITS = ("县公安局", "县应急管理局", "县卫生健康局", "县水利局")

KIND_WEIGHTS = (("动态", 45), ("一般", 25), ("重要", 15), ("调研", 6), ("专报", 6), ("紧急", 3))
ADOPT_P = {"动态": 0.24, "一般": 0.2, "重要": 0.4, "调研": 0.6, "专报": 0.65, "紧急": 0.5}
COUNT_WEIGHTS = {
    G_TOWN: ((3, 2), (4, 4), (5, 4), (6, 2)),
    G_DEPT1: ((2, 4), (3, 4), (4, 2), (5, 1)),
    G_DEPT2: ((1, 4), (2, 4), (3, 1)),
}
# 县直二类 units that keep no register of their own: everything they send is in the CSV
CSV_ONLY = ("县地方志编纂中心", "县机关事务服务中心", "县图书馆", "县烟草专卖局")

COUNTY_INSTRUCTIONS = ("县长批示", "常务副县长批示", "副县长批示", "县委书记批示")
CITY_INSTRUCTIONS = ("市长批示", "副市长批示", "市委副书记批示")

# how each level's adoption is written where it is recorded
CENTRAL_COUNTY = (("√", 85), ("《本级政务信息》专报", 15))
CENTRAL_CITY = (("√", 55), ("市级专报", 35), (f"《{CITY}政务信息》", 10))
CENTRAL_PROVINCE = (("√", 60), ("省级专报", 40))
DEPT_COUNTY_SPECIAL = ("《本级政务信息》专报", "本级专报", "县专报")
DEPT_CITY = ("市采用", "市级专报", f"《{CITY}政务信息》采用")
DEPT_PROVINCE = ("省采用", "省办专报")
BOOK_CITY = (("市级专报", 35), ("市办专报", 25), ("市政府专报", 15), (f"《{CITY}政务信息》", 10), ("市级", 15))
BOOK_PROVINCE = (("省级专报", 40), ("省办专报", 40), (f"《{PROVINCE}政务信息》", 20))
BOOK_NATIONAL = ("国办采用", "国务院办公厅")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "文", "华", "鑫", "婷", "宇", "浩", "晨", "欣怡", "子涵", "思远", "建平", "海燕",
         "春华", "志勇", "晓东", "红梅", "玉洁", "国强", "家豪", "雨萱", "德明", "书琴", "永红")

NEAR_DUP_THRESHOLD = 85  # any two titles not meant as near-duplicates stay below this similarity
SWAPS = (("推进", "推动"), ("扎实", "切实"), ("全力", "全面"), ("持续", "不断"), ("开展", "推进"), ("抓实", "抓好"),
         ("做好", "抓好"), ("打好", "打出"), ("取得", "获得"), ("有序", "稳步"), ("跑出", "跑好"), ("助力", "推动"),
         ("见行见效", "见实效"), ("的调研报告", "调研报告"), ("召开", "组织召开"), ("专题部署", "安排部署"),
         ("按下", "跑出"), ("存在的问题", "存在问题"), ("亟待关注", "亟需关注"), ("深化", "推进"))

# days nobody submits anything (元旦, 劳动节, 国庆节; the lunar holidays move and are left alone)
HOLIDAYS = frozenset({(1, 1), *((5, d) for d in range(1, 6)), *((10, d) for d in range(1, 8))})


def _weighted(rng: random.Random, pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights)[0]


@dataclass
class SampleItem:
    unit: object  # RosterUnit
    title: str
    when: dt.datetime
    kind: str
    author: str
    channel: str  # "town" | "dept" | "csv"
    county: bool = False  # adopted at county level (recorded in the submitting register)
    county_text: str = ""  # its wording; "" in a departmental register = that file's usual wording
    upper_reg: list = field(default_factory=list)  # (level, text): higher adoptions written in the register
    upper_book: list = field(default_factory=list)  # (level, text, date): higher adoptions in 采用登记
    instructions: list = field(default_factory=list)
    event: Optional[dt.datetime] = None
    note: str = ""
    tag: str = ""  # "dup" / "near" / "relisted": kept out of the adoption register

    @property
    def adopted(self) -> bool:
        return bool(self.county or self.upper_reg or self.upper_book)


@dataclass
class SampleYear:
    """The generated year before it is written: items and adoption-register rows."""

    year: int
    roster: tuple
    items: list = field(default_factory=list)
    book_rows: list = field(default_factory=list)  # (unit as written, title as written, publication, date, item)


class _Builder:
    def __init__(self, roster, year: int, seed: int):
        self.rng = random.Random(seed)
        self.roster = tuple(roster)
        self.year = year
        self.norms: list = []
        self.norm_set: set = set()
        self.used_names: set = {u.contact for u in self.roster}
        self.authors: dict = {}

    # -- people and titles --
    def _person(self) -> str:
        for _ in range(1000):
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of names")

    def _title_unit(self, unit) -> str:
        if unit.group == G_TOWN:
            return unit.name
        short = [a for a in unit.aliases if a.startswith("县") and len(a) < len(unit.name)]
        if short and self.rng.random() < 0.3:
            return short[0]
        return unit.name

    def _topic(self, unit, month: int) -> str:
        own = UNIT_TOPICS.get(unit.name) or DEPT_GENERIC
        if unit.group == G_TOWN and self.rng.random() < 0.45:
            pool = [t for t, months in TOWN_SEASONAL if not months or month in months]
            return self.rng.choice(pool)
        if unit.group != G_TOWN and self.rng.random() < 0.12:
            return self.rng.choice(DEPT_GENERIC)
        return self.rng.choice(own)

    def _compose(self, unit, kind: str, month: int) -> str:
        u = self._title_unit(unit)
        if kind == "紧急":
            if unit.group == G_TOWN:
                place, incidents = self.rng.choice(VILLAGES), TOWN_INCIDENTS
            else:
                towns = [x.name for x in self.roster if x.group == G_TOWN] or [""]
                place, incidents = self.rng.choice(towns) + self.rng.choice(VILLAGES), DEPT_INCIDENTS[unit.name]
            return self.rng.choice(URGENT_TEMPLATES).format(u=u, p=place, i=self.rng.choice(incidents))
        templates = [t for t, kinds in TEMPLATES if kind in kinds]
        return self.rng.choice(templates).format(
            u=u, t=self._topic(unit, month), a=self.rng.choice(APPROACHES), s=self.rng.choice(SLOGANS), m=month)

    def _too_close(self, key: str) -> bool:
        from rapidfuzz import fuzz, process

        return process.extractOne(key, self.norms, scorer=fuzz.ratio, score_cutoff=NEAR_DUP_THRESHOLD) is not None

    def _remember(self, title: str):
        key = norm_title(title)
        self.norms.append(key)
        self.norm_set.add(key)

    def new_title(self, unit, kind: str, month: int) -> str:
        for _ in range(400):
            t = self._compose(unit, kind, month)
            key = norm_title(t)
            if key in self.norm_set or self._too_close(key):
                continue
            self._remember(t)
            return t
        raise RuntimeError(f"could not find a fresh title for {unit.name}")

    def near_variant(self, title: str) -> Optional[str]:
        from rapidfuzz import fuzz

        key0 = norm_title(title)
        cands = [title.replace(a, b, 1) for a, b in SWAPS if a in title]
        for c in cands:
            key = norm_title(c)
            if key == key0 or key in self.norm_set or fuzz.ratio(key, key0) < 92:
                continue
            others = [k for k in self.norms if k != key0]
            from rapidfuzz import process

            if process.extractOne(key, others, scorer=fuzz.ratio, score_cutoff=NEAR_DUP_THRESHOLD) is not None:
                continue
            self._remember(c)
            return c
        return None

    # -- the year --
    def build(self) -> SampleYear:
        rng = self.rng
        sy = SampleYear(self.year, self.roster)
        for u in self.roster:
            k = {G_TOWN: 2, G_DEPT1: rng.choice((1, 2)), G_DEPT2: rng.choice((0, 1))}.get(u.group, 1)
            self.authors[u.name] = [u.contact] + [self._person() for _ in range(k)]
        zero = self._zero_months()
        dept2_with_file = [u for u in self.roster if u.group == G_DEPT2 and u.name not in CSV_ONLY]
        for month in range(1, 13):
            for u in self.roster:
                if month in zero.get(u.name, ()):
                    continue
                n = _weighted(rng, COUNT_WEIGHTS.get(u.group, ((1, 1), (2, 1))))
                if u.name == "县烟草专卖局":
                    n = 1 if month in (3, 6, 9, 12) else 0
                days = self._days(month, n)
                for day in days:
                    sy.items.append(self._item(u, month, day))
        # 补报: some 县直二类 items reach the office only through the CSV
        late = [it for it in sy.items if it.unit in dept2_with_file]
        for it in rng.sample(late, min(12, len(late) // 4)):
            it.channel = "csv"
            it.note = "补报"
        self._adoptions(sy.items)
        self._instructions(sy.items)
        self._timeliness(sy.items)
        self._duplicates(sy)
        sy.items.sort(key=lambda it: (it.when, it.unit.order))
        self._book(sy)
        return sy

    def _zero_months(self) -> dict:
        rng = self.rng
        zero: dict = {}
        dept2 = [u for u in self.roster if u.group == G_DEPT2 and u.name != "县烟草专卖局"]
        for u in rng.sample(dept2, min(5, len(dept2))):
            zero[u.name] = set(rng.sample(range(1, 13), rng.choice((1, 2, 3))))
        dept1 = [u for u in self.roster if u.group == G_DEPT1]
        if dept1:
            zero[rng.choice(dept1).name] = {7, 8}
        towns = [u for u in self.roster if u.group == G_TOWN]
        if towns:
            zero[rng.choice(towns).name] = {2}
        return zero

    def _days(self, month: int, n: int) -> list:
        ndays = calendar.monthrange(self.year, month)[1]
        work = [d for d in range(1, ndays + 1)
                if dt.date(self.year, month, d).weekday() < 5 and (month, d) not in HOLIDAYS]
        if n <= len(work):
            return sorted(self.rng.sample(work, n))
        return sorted(self.rng.choice(work) for _ in range(n))

    def _item(self, unit, month: int, day: int) -> SampleItem:
        rng = self.rng
        kinds = [(k, w) for k, w in KIND_WEIGHTS
                 if k != "紧急" or unit.group == G_TOWN or unit.name in DEPT_INCIDENTS]
        if unit.name in EVENT_UNITS:
            kinds = [(k, w * 3 if k in ("紧急", "重要") else w) for k, w in kinds]
        kind = _weighted(rng, kinds)
        when = dt.datetime(self.year, month, day)
        if unit.name in EVENT_UNITS:
            when = when.replace(hour=rng.randint(8, 20), minute=rng.randrange(0, 60, 5))
        authors = self.authors[unit.name]
        author = authors[0] if rng.random() < 0.5 else rng.choice(authors)
        channel = {G_TOWN: "town"}.get(unit.group, "dept")
        if unit.name in CSV_ONLY:
            channel = "csv"
        return SampleItem(unit, self.new_title(unit, kind, month), when, kind, author, channel)

    def _adoptions(self, items: list):
        rng = self.rng
        for it in items:
            p = ADOPT_P[it.kind] * (0.8 if it.unit.group == G_DEPT2 else 1.0)
            if rng.random() >= p:
                continue
            r = rng.random()
            top = "县级" if r < 0.86 else "市级" if r < 0.97 else "省级"
            if top == "县级" or rng.random() < 0.6:
                it.county = True
            if top == "县级":
                continue
            in_register = it.channel != "csv" and rng.random() < 0.2
            levels = ["市级"] if top == "市级" else (["市级", "省级"] if rng.random() < 0.5 else ["省级"])
            for lv in levels:
                if in_register:
                    it.upper_reg.append((lv, ""))
                else:
                    it.upper_book.append((lv, "", None))
        # 国家级: two research / special reports of the first nine months travel all the way up
        cands = [it for it in items if it.kind in ("调研", "专报") and it.when.month <= 9
                 and it.channel != "csv" and it.unit.group in (G_TOWN, G_DEPT1)]
        for it in rng.sample(cands, min(2, len(cands))):
            it.county = True
            it.upper_reg = []
            it.upper_book = [("市级", "", None), ("省级", "", None), ("国家级", "", None)]

    def _instructions(self, items: list):
        rng = self.rng
        upper = [it for it in items if it.upper_reg or it.upper_book]
        county_only = [it for it in items if it.county and not (it.upper_reg or it.upper_book)
                       and it.kind in ("专报", "调研", "重要") and it.channel != "csv"]
        for it in rng.sample(upper, min(6, len(upper))):
            it.instructions.append(rng.choice(CITY_INSTRUCTIONS))
            if rng.random() < 0.4:
                it.instructions.append(rng.choice(COUNTY_INSTRUCTIONS))
        for it in rng.sample(county_only, min(5, len(county_only))):
            it.instructions.append(rng.choice(COUNTY_INSTRUCTIONS))
        for it in items:
            if any(lv == "国家级" for lv, _, _ in it.upper_book):
                it.instructions = ["副省长批示", "市长批示"]

    def _timeliness(self, items: list):
        """事件时间 for some items of the units whose registers keep it; three of them late."""
        rng = self.rng
        minutes = rng.randint
        for it in items:
            if it.unit.name not in EVENT_UNITS or it.channel != "dept":
                continue
            if it.kind == "紧急":
                it.event = it.when - dt.timedelta(minutes=minutes(10, 28))
            elif it.kind == "重要" and rng.random() < 0.6:
                it.event = it.when - dt.timedelta(minutes=minutes(3 * 60, 20 * 60))
            elif rng.random() < 0.3:
                it.event = it.when - dt.timedelta(minutes=minutes(5 * 60, 40 * 60))
        by_kind = {}
        for it in items:
            if it.event is not None:
                by_kind.setdefault(it.kind in ("紧急", "重要") and it.kind or "其他", []).append(it)
        late = {"紧急": dt.timedelta(hours=2), "重要": dt.timedelta(hours=36), "其他": dt.timedelta(days=3)}
        for kind, delta in late.items():
            if by_kind.get(kind):
                it = rng.choice(by_kind[kind])
                it.event = it.when - delta

    def _duplicates(self, sy: SampleYear):
        """Exact repeats (the same title sent again a few days later) and near-duplicate titles."""
        rng = self.rng
        plain = [it for it in sy.items if not it.adopted and not it.instructions and it.channel != "csv"
                 and it.when.day <= 24 and it.event is None]
        picks = rng.sample(plain, min(30, len(plain)))
        for it in picks[:5]:
            it.tag = "dup"
            again = SampleItem(it.unit, it.title, it.when + dt.timedelta(days=rng.randint(1, 4)), it.kind,
                               it.author, it.channel, tag="dup")
            sy.items.append(again)
        made = 0
        for it in picks[5:]:
            if made == 4:
                break
            title = self.near_variant(it.title)
            if title is None:
                continue
            it.tag = "near"
            sy.items.append(SampleItem(it.unit, title, it.when + dt.timedelta(days=rng.randint(2, 6)), it.kind,
                                       it.author, it.channel, tag="near"))
            made += 1
        # a 县直二类 item listed again in the 补报 CSV although its own register has it
        dept2 = [it for it in sy.items if it.unit.group == G_DEPT2 and it.channel == "dept" and not it.tag
                 and not it.adopted and not it.instructions and it.when.month < 12]
        if not dept2:
            return
        it = rng.choice(dept2)
        it.tag = "relisted"
        sy.items.append(SampleItem(it.unit, it.title, it.when + dt.timedelta(days=5), it.kind, it.author, "csv",
                                   note="补报", tag="relisted"))

    def _book(self, sy: SampleYear):
        """Choose the wording of every adoption and build the adoption-register rows."""
        rng = self.rng
        end = dt.datetime(self.year, 12, 31)
        fuzzy_done = False
        punct_left = 5
        for it in sy.items:
            if it.county:
                it.county_text = self._county_text(it)
            it.upper_reg = [(lv, self._reg_text(it, lv)) for lv, _ in it.upper_reg]
            if not it.upper_book:
                continue
            d = it.when
            rows = []
            for lv, _, _ in it.upper_book:
                d = min(end, d + dt.timedelta(days=rng.randint(3, 15)))
                if lv == "市级":
                    text = _weighted(rng, BOOK_CITY)
                elif lv == "省级":
                    text = _weighted(rng, BOOK_PROVINCE)
                else:
                    text = BOOK_NATIONAL[len([r for r in sy.book_rows if r[2] in BOOK_NATIONAL]) % 2]
                rows.append((lv, text, d.replace(hour=0, minute=0)))
            it.upper_book = rows
            label = unit_label(rng, it.unit, 0.3)
            title = it.title
            if not fuzzy_done and len(title) >= 18 and "工作" in title:
                # the clerk left out a word: matched by similarity, with a warning
                title = title.replace("工作", "", 1)
                fuzzy_done = True
            elif punct_left and ("“" in title or "：" in title):
                title = title.replace("“", "\"").replace("”", "\"").replace("：", ":")
                punct_left -= 1
            for _lv, text, date in rows:
                sy.book_rows.append((label, title, text, date, it))
        sy.book_rows.sort(key=lambda r: (r[3], r[4].unit.order, r[4].title))

    def _county_text(self, it: SampleItem) -> str:
        rng = self.rng
        special = it.kind in ("专报", "调研") and rng.random() < 0.5
        if it.channel == "town":
            return "《本级政务信息》专报" if special else _weighted(self.rng, CENTRAL_COUNTY)
        if it.channel == "csv":
            return "县采用"
        if special or rng.random() < 0.1:
            return rng.choice(DEPT_COUNTY_SPECIAL)
        return ""  # the file's own style, filled in when the file is written

    def _reg_text(self, it: SampleItem, level: str) -> str:
        rng = self.rng
        if it.channel == "town":
            return _weighted(rng, CENTRAL_CITY if level == "市级" else CENTRAL_PROVINCE)
        return rng.choice(DEPT_CITY if level == "市级" else DEPT_PROVINCE)


def build_sample(roster, *, year: int = 2025, seed: int = 2025) -> SampleYear:
    """The example year as data (deterministic for a given roster, year and seed)."""
    return _Builder(roster, year, seed).build()


def unit_label(rng: random.Random, unit, p_alias: float) -> str:
    """A unit as a clerk writes it: one of its aliases with probability p_alias, else its name."""
    if unit.aliases and rng.random() < p_alias:
        return rng.choice(unit.aliases)
    return unit.name
