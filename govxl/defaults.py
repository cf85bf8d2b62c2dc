"""The data tables of the trade: one source of truth for every fixed fact govxl knows.

Header synonyms, level keywords, marks, default rules and settings live here as data;
code elsewhere looks them up and never repeats them as if-chains.
"""
from __future__ import annotations

LEVELS = ("县级", "市级", "省级", "国家级")
LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}

# Keyword → level, tried in this order (the first keyword found in a text decides).
# 自治区 is a province-level name and must be tried before the bare 区 of 县/区.
LEVEL_KEYWORDS = (
    ("国家级", "国家级"),
    ("国务院", "国家级"),
    ("总理", "国家级"),
    ("国办", "国家级"),
    ("中办", "国家级"),
    ("中央", "国家级"),
    ("国家", "国家级"),
    ("自治区", "省级"),
    ("省级", "省级"),
    ("省", "省级"),
    ("市级", "市级"),
    ("市", "市级"),
    ("州", "市级"),
    ("盟", "市级"),
    ("县级", "县级"),
    ("县", "县级"),
    ("区", "县级"),
    ("旗", "县级"),
    ("本级", "县级"),
)

# Words that, once the level keyword is taken out, leave nothing a publication could be
# named by: "市采用", "省级录用", "县级" all say "adopted at this level, publication not given".
LEVEL_FILLER_WORDS = ("采用", "信息", "已", "被", "录用", "采纳", "刊用", "选用", "级", "用", "委", "政府", "办", "两办", "领导")

# Cells that say "yes" / "no" in mark columns (per-level adoption, 约稿, 失实).
MARK_TRUE = frozenset({"√", "✓", "✔", "☑", "是", "y", "yes", "1", "有", "采用", "已采用", "true", "t", "○", "●"})
MARK_FALSE = frozenset({"", "否", "无", "n", "no", "0", "×", "✗", "✘", "x", "false", "f", "-", "—", "/", "／", "未采用", "没有"})

# Text that means "nothing here" in a free-text adoption / instruction cell.
NONE_TEXTS = frozenset({"", "无", "否", "未采用", "未", "-", "—", "--", "/", "／", "暂无", "没有", "0", "×"})

SUBTOTAL_WORDS = ("合计", "小计", "总计")
# a sheet so named, without a register header, is the workbook's instructions or cover: skipped unsaid
NOTE_SHEET_WORDS = ("说明", "须知", "目录", "封面")

# Separators between several adoptions / instructions in one cell.
SEGMENT_SEPARATORS = "；;，,、/／\n\r|｜"

# Standard column → built-in header synonyms (compared after NFKC and whitespace removal).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "单位": ("单位", "报送单位", "单位名称", "部门", "来稿单位", "供稿单位", "报送部门", "责任单位", "乡镇（部门）", "乡镇部门", "乡镇/部门"),
    "标题": ("标题", "信息标题", "题目", "稿件标题", "信息名称", "信息题目", "稿件名称", "文章标题", "约稿主题"),
    "报送日期": ("报送日期", "报送时间", "日期", "上报日期", "报送日", "上报时间", "发稿日期", "来稿日期"),
    "信息类型": ("信息类型", "类型", "类别", "信息类别", "稿件类型"),
    "撰稿人": ("撰稿人", "信息员", "作者", "撰稿", "报送人", "撰写人"),
    "采用情况": ("采用情况", "采用", "采用级别", "采用刊物", "刊物", "采用栏目", "录用情况", "刊物名称", "采用刊物名称",
                 "采用载体", "录用刊物", "采用单位"),
    "县级采用": ("县级采用", "县采用", "县级", "区级采用", "本级采用"),
    "市级采用": ("市级采用", "市采用", "市级", "州级采用"),
    "省级采用": ("省级采用", "省采用", "省级"),
    "国家级采用": ("国家级采用", "国家采用", "国家级", "国办采用", "中央采用"),
    "采用日期": ("采用日期", "采用时间", "刊发日期", "录用日期"),
    "领导批示": ("领导批示", "批示", "批示情况", "领导批示情况", "批示领导"),
    "批示日期": ("批示日期", "批示时间"),
    "事件时间": ("事件时间", "发生时间", "事发时间", "事件发生时间"),
    "约稿": ("约稿", "是否约稿"),
    "失实": ("失实", "是否失实"),
    "备注": ("备注", "说明"),
    "序号": ("序号", "编号", "序"),
    # 约稿 registers (commissions)
    "下达日期": ("下达日期", "约稿日期", "约稿时间", "下达时间"),
    "截止日期": ("截止日期", "截止时间", "报送时限", "完成时限"),
    "完成日期": ("完成日期", "完成时间", "实际报送日期"),
    "联合报送单位": ("联合报送单位", "联合单位", "合报单位"),
}

# Words in a file or sheet name that mark the office's adoption register (采用登记), even when it
# also lists the submission date.
ADOPTION_REGISTER_NAMES = ("采用登记", "采用情况登记", "采用统计", "录用登记", "采用台账")

# Parent header + child header (two-row merged headers) → standard column.
# "采用情况 › 市级" is 市级采用. Children are looked up by their level keyword.
ADOPTION_PARENTS = ("采用情况", "采用")
LEVEL_ADOPTION_COLUMN = {lv: f"{lv}采用" for lv in LEVELS}

# Default scoring rules (spec §3), written by `govxl init` and used when nothing else is given.
DEFAULT_ADOPTION_RULES = (
    # 刊物, 级别, 分值, 别名
    ("县级", "县级", 2, ""),
    ("《本级政务信息》专报", "县级", 4, "本级专报、县专报、县级专报"),
    ("市级", "市级", 5, ""),
    ("市级专报", "市级", 10, "市专报、市办专报、市政府专报"),
    ("省级", "省级", 10, ""),
    ("省级专报", "省级", 20, "省专报、省办专报、省政府专报"),
    ("国家级", "国家级", 30, "国办、国务院办公厅、中办"),
)

DEFAULT_INSTRUCTION_RULES = (
    # 领导级别, 首次分值, 再次分值
    ("县级", 3, 1),
    ("市级", 10, 5),
    ("省级", 20, 10),
    ("国家级", 40, 20),
)

DEFAULT_OTHER_RULES = (
    ("报送每篇", 0.5),
    ("报送每月上限", 5),
    ("约稿按时完成", 2),
    ("约稿逾期未完成", -2),
    ("迟报", -1),
    ("失实", -10),
    # optional rules found in published schemes; 0 = not used
    ("每月基础分", 0),
    ("缺报每篇", 0),
    ("季度采用率不达标", 0),
)

DEFAULT_SETTINGS = (
    # 项目, 值, 说明
    ("机关名称", "XX县人民政府办公室", "用于通报和文件名的标题"),
    ("默认月任务", 2, "名册中月任务数为空时的每月报送任务"),
    ("多次采用计分", "最高", "最高 = 同一篇只计最高一次采用；累计 = 每次采用都计分"),
    ("批示计分", "累计", "累计 = 每条批示都计分；最高 = 同一篇只计最高一条"),
    ("重复信息处理", "首报", "首报 = 同题信息只计最先报送的一篇；全计 = 都计"),
    ("疑似重复阈值", 90, "0–100，标题相似度达到此值列为疑似重复"),
    ("跨单位疑似重复", "是", "是 = 不同单位报送的相近标题也列为疑似重复（同一事件两家各报一篇）；否 = 不查"),
    ("跨单位疑似重复阈值", 90, "0–100，不同单位两篇标题相似度达到此值列为跨单位疑似重复"),
    ("跨单位疑似重复天数", 7, "两篇报送日期相差不超过此天数才比对（同一事件）；0 = 只比同一天"),
    ("归属月份", "报送日期", "报送日期 = 采用、批示计入报送当月；采用日期 = 计入采用当月"),
    ("并列排名", "跳号", "跳号 = 1,1,3；连续 = 1,1,2"),
    ("紧急时限（分钟）", 30, "紧急信息须在事件发生后多少分钟内报送"),
    ("重要时限（小时）", 24, "重要信息须在事件发生后多少小时内报送"),
    ("一般时限（小时）", 48, "其他信息须在事件发生后多少小时内报送"),
    ("SMTP服务器", "", "发送邮件的服务器，如 smtp.example.gov.cn"),
    ("SMTP端口", 465, ""),
    ("SMTP加密", "SSL", "SSL / STARTTLS / 无"),
    ("发件人", "", "发件邮箱地址"),
    ("SMTP用户名", "", "登录用户名（密码只从环境变量 GOVXL_SMTP_PASSWORD 读取）"),
    ("邮件附件", "总表", "govxl mail 给各单位的附件：总表 = 排名通报工作簿；本单位反馈 = 只附本单位的采用反馈；两者 = 都附"),
    ("文件大小上限（MB）", 200, "单个登记表解压后的大小上限，超过即拒绝读取"),
    ("季度采用率下限", "", "如 30%：季度采用率低于此值的单位在季末月加“季度采用率不达标”分（其他计分）；空 = 不考核"),
    ("约稿未完成清零次数", "", "如 2：一年内约稿逾期未完成达到此次数，全年（累计）得分清零；空 = 不清零"),
    ("表彰名额", 3, "年度考核中每组评为先进单位的名额"),
    ("失实取消评先", "是", "有失实信息的单位不评先进单位"),
    ("上年现行有效规章件数", "", "govxl disclosure：上年年度报告表二中规章的现行有效件数"),
    ("上年现行有效行政规范性文件件数", "", "govxl disclosure：上年年度报告表二中行政规范性文件的现行有效件数"),
)

# Optional 设置 rows the Word notice template's 版头 reads (govxl/write/noticetpl.py): 项目 → template variable.
# Not written by `govxl init`: an office adds the row when its template prints them.
NOTICE_HEADER_SETTINGS = (
    ("发文机关代字", "doc_code"),  # e.g. X政办: the 文号 becomes X政办〔2025〕【请填写】号
    ("签发人", "signer"),  # an 上行文's 签发人; blank = a 下行文, no 签发人 line
)

# Config workbook sheet names (spec §3, exact).
SHEET_ROSTER = "单位名册"
SHEET_ADOPTION = "采用计分"
SHEET_INSTRUCTION = "批示计分"
SHEET_OTHER = "其他计分"
SHEET_SETTINGS = "设置"
SHEET_MAPPING = "列名映射"

ROSTER_COLUMNS = ("单位名称", "别名", "分组", "月任务数", "联系人", "邮箱", "排序")
ADOPTION_COLUMNS = ("刊物", "级别", "分值", "别名", "倍数", "信息类型")
INSTRUCTION_COLUMNS = ("领导级别", "首次分值", "再次分值", "刊物")
OTHER_COLUMNS = ("项目", "分值")
SETTINGS_COLUMNS = ("项目", "值")
MAPPING_COLUMNS = ("标准列", "同义列名")

DEFAULT_GROUP = "未分组"
ALIAS_SEPARATORS = "、,，;；\n"

# ---- govxl web: website and new-media postings (发布台账) ----------------------------------------

# Platform → the names registers write for it (compared after NFKC and whitespace removal; a longer
# text containing one of them, such as "县政府门户网站", names that platform too, longest name first).
PLATFORM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "网站": ("网站", "门户网站", "政府网站", "政府门户网站", "部门网站", "官网", "网页", "网站栏目"),
    "微信公众号": ("微信公众号", "微信", "公众号", "政务微信", "微信号", "服务号", "订阅号"),
    "微博": ("微博", "新浪微博", "政务微博", "官方微博"),
    "抖音": ("抖音", "抖音号", "政务抖音"),
    "头条号": ("头条号", "今日头条", "头条", "政务头条号"),
}
PLATFORMS = tuple(PLATFORM_SYNONYMS)
WEBSITE = "网站"
# the postings of a register that names no unit (a CMS export of the county portal): counted under this
# name, outside the units' ranking
PORTAL_UNIT = "本级门户网站"

# 发布台账 standard column → header synonyms. A sheet is a posting register when it has 标题, 发布日期 and
# 平台 or 栏目 (or its date header says 发布), see normalise/postings.py.
POSTING_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "单位": HEADER_SYNONYMS["单位"] + ("发布单位", "主办单位", "账号主体", "运营单位"),
    "平台": ("平台", "发布平台", "渠道", "发布渠道", "平台类型", "媒体类型", "账号类型", "载体"),
    "栏目": ("栏目", "栏目名称", "所属栏目", "网站栏目", "账号", "账号名称", "公众号名称", "频道", "栏目/账号",
             "栏目（账号）", "发布栏目"),
    "标题": HEADER_SYNONYMS["标题"] + ("内容标题", "信息内容", "发布内容"),
    "发布日期": ("发布日期", "发布时间", "发布日", "上网日期", "上网时间", "推送日期", "推送时间", "发文日期",
                 "日期", "时间"),
    "类型": ("类型", "原创/转载", "原创转载", "是否原创", "稿件性质", "信息类型"),
    "链接": ("链接", "网址", "url", "链接地址", "原文链接", "网页地址"),
    "发布人": ("发布人", "发布者", "编辑", "录入人", "责任编辑"),
    "来源": ("来源", "信息来源", "稿件来源"),
    "备注": ("备注",),
    "序号": HEADER_SYNONYMS["序号"],
}
POSTING_TYPES = {"原创": ("原创", "自采", "原创稿", "是"), "转载": ("转载", "转发", "转载稿", "转发稿", "否")}

# 栏目更新要求: 栏目类别 → 最长间隔天数 (the State Council's checks of government websites and new media:
# news columns and accounts silent two weeks, notices and policies six months, plans and personnel a year)
DEFAULT_UPDATE_LIMITS = (
    ("动态要闻", 14),
    ("通知公告", 180),
    ("政策文件", 180),
    ("规划计划", 365),
    ("人事信息", 365),
    ("新媒体账号", 14),
)
NEW_MEDIA_CATEGORY = "新媒体账号"  # every account of a platform other than 网站
# 栏目归类: a website column's category, by its name or a keyword in it (longest keyword first)
DEFAULT_COLUMN_CATEGORIES = (
    ("动态要闻", "工作动态、政务动态、要闻、新闻、动态、图片新闻、乡镇动态、部门动态、媒体聚焦"),
    ("通知公告", "通知公告、公告公示、通知、公告、公示"),
    ("政策文件", "政策文件、政策解读、规范性文件、政策、文件"),
    ("规划计划", "规划计划、发展规划、工作计划、规划、计划、总结"),
    ("人事信息", "人事信息、人事任免、人事、任免、招聘、招考"),
)
SHEET_UPDATE_LIMITS = "栏目更新要求"
SHEET_COLUMN_CATEGORIES = "栏目归类"
UPDATE_LIMIT_COLUMNS = ("栏目类别", "最长间隔天数")
COLUMN_CATEGORY_COLUMNS = ("栏目类别", "栏目名称或关键词")
# optional 单位名册 columns read by govxl web: the monthly posting task and the unit's accounts
# ("微信公众号：安澜城关；微博：城关发布")
ROSTER_WEB_COLUMNS = ("每月发布任务", "新媒体账号")
