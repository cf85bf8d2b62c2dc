"""The fixed facts of the 政府信息公开工作年度报告 tables (国办公开办函〔2021〕30号), as data.

Row labels are printed exactly as written here; the reading code looks everything up in these
tables and never repeats a label or a synonym as an if-chain.
"""
from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# The report body (the docx skeleton) and the three tables' titles.

SECTION_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
TABLE2_TITLE = SECTION_HEADINGS[1]
TABLE3_TITLE = SECTION_HEADINGS[2]
TABLE4_TITLE = SECTION_HEADINGS[3]

# ---------------------------------------------------------------------------------------------
# Table 二: 主动公开政府信息情况. (section, value columns, rows)

COL_ISSUED = "本年制发件数"
COL_REPEALED = "本年废止件数"
COL_IN_FORCE = "现行有效件数"
COL_DECISIONS = "本年处理决定数量"
COL_FEES = "本年收费金额（单位：万元）"

TABLE2_SECTIONS = (
    ("第二十条第（一）项", (COL_ISSUED, COL_REPEALED, COL_IN_FORCE), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", (COL_DECISIONS,), ("行政许可",)),
    ("第二十条第（六）项", (COL_DECISIONS,), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", (COL_FEES,), ("行政事业性收费",)),
)
# The first template of the new annual report (the 2019 and 2020 reports) counted 规章 and 规范性文件 in
# these columns, and had one （六）其他处理 row without sub-rows; the current template replaced both.
TABLE2_COLUMNS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
OTHER_GROUP = "（六）其他处理"
OTHER_ROW = "3.其他"  # where a 2019 table's single （六）其他处理 row is counted
DOCUMENT_CONTENTS = ("规章", "行政规范性文件")  # counted by 制发 / 废止, with 现行有效件数
DECISION_CONTENTS = ("行政许可", "行政处罚", "行政强制")  # counted by 处理决定
FEE_CONTENT = "行政事业性收费"  # summed in 万元

# 信息内容 cell → row of table 二 (compared after NFKC, whitespace removed).
CONTENT_SYNONYMS = {
    "规章": ("规章", "政府规章", "部门规章", "地方政府规章"),
    "行政规范性文件": ("行政规范性文件", "规范性文件", "行政规范性", "规范性文件（行政）"),
    "行政许可": ("行政许可", "许可", "行政审批", "行政许可决定", "许可决定"),
    "行政处罚": ("行政处罚", "处罚", "行政处罚决定", "处罚决定"),
    "行政强制": ("行政强制", "强制", "行政强制措施", "行政强制执行", "强制措施"),
    "行政事业性收费": ("行政事业性收费", "收费", "事业性收费", "行政收费", "行政事业收费"),
}

# 动作 cell → what the row counts as.
ACTION_ISSUE = "制发"
ACTION_REPEAL = "废止"
ACTION_DECISION = "处理决定"
ACTION_SYNONYMS = {
    ACTION_ISSUE: ("制发", "制定", "印发", "发布", "出台", "新制发", "新发布", "新制定", "公布"),
    ACTION_REPEAL: ("废止", "废除", "失效", "宣布失效", "宣布废止", "已废止", "已失效"),
    ACTION_DECISION: ("处理决定", "决定", "作出决定", "作出处理决定", "许可决定", "处罚决定", "强制决定", "办结"),
}

# In 设置 (govxl.xlsx): last year's 现行有效件数, used as the base of this year's.
SETTING_ORGAN = "机关名称"
SETTING_IN_FORCE = {
    "规章": ("上年现行有效规章件数",),
    "行政规范性文件": ("上年现行有效行政规范性文件件数", "上年现行有效规范性文件件数"),
}
DEFAULT_ORGAN = "本机关"

# ---------------------------------------------------------------------------------------------
# Table 三: 收到和处理政府信息公开申请情况.

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
ORGANISATIONS = APPLICANTS[1:]
TOTAL = "总计"
TABLE3_COLUMNS = APPLICANTS + (TOTAL,)
TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANT_HEAD = "申请人情况"
TABLE3_ORG_HEAD = "法人或其他组织"

APPLICANT_SYNONYMS = {
    "自然人": ("自然人", "个人", "公民", "公民个人", "群众"),
    "商业企业": ("商业企业", "企业", "公司", "商业机构", "企业法人"),
    "科研机构": ("科研机构", "科研院所", "研究机构", "高等院校", "高校", "研究所"),
    "社会公益组织": ("社会公益组织", "公益组织", "社会组织", "社会团体", "民办非企业单位", "基金会"),
    "法律服务机构": ("法律服务机构", "律师事务所", "律所", "律师", "法律服务所", "基层法律服务所"),
    "其他": ("其他", "其他组织", "其它", "其他法人", "其他法人或其他组织"),
}

ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_RESULTS = "三、本年度办理结果"
ROW_RESULT_TOTAL = "（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"

# The result groups of 三, in order: (group label, [(key, printed label, short forms)]).
# A group with a single row prints its label across the two label columns and has no sub-rows.
# Short forms are what registers write instead of the printed wording; "<group>-<short>" and
# "<group>（<short>）" are accepted too, and so is the printed wording with or without its number.
RESULT_GROUPS = (
    ("（一）予以公开", (
        ("予以公开", "（一）予以公开", ("予以公开", "公开", "全部公开", "同意公开", "已公开", "依申请公开")),
    )),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (
        ("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开", "区分处理", "部分予以公开")),
    )),
    ("（三）不予公开", (
        ("不予公开-国家秘密", "1.属于国家秘密", ("国家秘密", "涉密", "涉及国家秘密")),
        ("不予公开-法律禁止", "2.其他法律行政法规禁止公开", ("法律行政法规禁止公开", "法律法规禁止公开", "法律禁止", "禁止公开")),
        ("不予公开-三安全一稳定", "3.危及“三安全一稳定”", ("三安全一稳定", "危及三安全一稳定", "危及安全稳定")),
        ("不予公开-第三方", "4.保护第三方合法权益", ("第三方", "第三方合法权益", "保护第三方", "涉及第三方", "个人隐私", "商业秘密")),
        ("不予公开-内部事务", "5.属于三类内部事务信息", ("内部事务", "内部事务信息", "三类内部事务")),
        ("不予公开-过程性信息", "6.属于四类过程性信息", ("过程性信息", "过程性", "四类过程性信息")),
        ("不予公开-行政执法案卷", "7.属于行政执法案卷", ("行政执法案卷", "执法案卷")),
        ("不予公开-行政查询事项", "8.属于行政查询事项", ("行政查询事项", "行政查询", "查询事项")),
    )),
    ("（四）无法提供", (
        ("无法提供-不掌握", "1.本机关不掌握相关政府信息", ("不掌握", "本机关不掌握", "信息不存在", "不存在")),
        ("无法提供-另行制作", "2.没有现成信息需要另行制作", ("另行制作", "需要另行制作", "没有现成信息", "需另行制作")),
        ("无法提供-内容不明确", "3.补正后申请内容仍不明确", ("内容不明确", "补正后仍不明确", "申请内容不明确", "仍不明确")),
    )),
    ("（五）不予处理", (
        ("不予处理-信访举报投诉", "1.信访举报投诉类申请", ("信访举报投诉", "信访", "举报投诉", "信访举报投诉类", "信访类")),
        ("不予处理-重复申请", "2.重复申请", ("重复申请", "重复")),
        ("不予处理-公开出版物", "3.要求提供公开出版物", ("公开出版物", "出版物", "要求提供公开出版物")),
        ("不予处理-大量反复申请", "4.无正当理由大量反复申请", ("大量反复申请", "大量反复", "无正当理由大量反复申请")),
        ("不予处理-确认或重新出具", "5.要求行政机关确认或重新出具已获取信息", ("确认或重新出具", "重新出具", "要求确认", "确认已获取信息", "已获取信息")),
    )),
    ("（六）其他处理", (
        ("其他处理-逾期不补正", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("逾期不补正", "不补正", "未补正")),
        ("其他处理-逾期未缴费", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ("逾期未缴费", "未缴费", "逾期未缴纳费用", "未缴纳费用", "未按收费通知缴费")),
        ("其他处理-其他", "3.其他", ("其他", "其它")),
    )),
)

# The group names as registers write them before a reason ("不予公开-国家秘密").
RESULT_GROUP_SHORT = {
    "（三）不予公开": ("不予公开",),
    "（四）无法提供": ("无法提供",),
    "（五）不予处理": ("不予处理",),
    "（六）其他处理": ("其他处理",),
}

RESULT_KEYS = tuple(key for _g, rows in RESULT_GROUPS for key, _l, _s in rows)
RESULT_LABEL = {key: label for _g, rows in RESULT_GROUPS for key, label, _s in rows}
# The group a result row is printed under; None for （一） and （二）, which are rows of their own.
RESULT_GROUP_OF = {key: (group if len(rows) > 1 else None) for group, rows in RESULT_GROUPS for key, _l, _s in rows}

# Table 三 in print order: (label, group label or None, kind) where kind is
# "new" | "carried_in" | "result:<key>" | "result_total" | "carried_out".
TABLE3_ROWS = (
    (ROW_NEW, None, "new"),
    (ROW_CARRIED_IN, None, "carried_in"),
    *((RESULT_LABEL[k], RESULT_GROUP_OF[k], "result:" + k) for k in RESULT_KEYS),
    (ROW_RESULT_TOTAL, None, "result_total"),
    (ROW_CARRIED_OUT, None, "carried_out"),
)
TABLE3_LABELS = tuple(label for label, _g, _k in TABLE3_ROWS)

# ---------------------------------------------------------------------------------------------
# Table 四: 政府信息公开行政复议、行政诉讼情况.

CASE_RECONSIDERATION = "行政复议"
CASE_DIRECT_SUIT = "未经复议直接起诉"
CASE_SUIT_AFTER = "复议后起诉"
CASE_TYPES = (CASE_RECONSIDERATION, CASE_DIRECT_SUIT, CASE_SUIT_AFTER)
LITIGATION_HEAD = "行政诉讼"
CASE_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", TOTAL)
CASE_OUTCOMES = CASE_COLUMNS[:4]

CASE_TYPE_SYNONYMS = {
    CASE_RECONSIDERATION: ("行政复议", "复议", "申请行政复议", "复议申请"),
    CASE_DIRECT_SUIT: ("直接起诉", "未经复议直接起诉", "行政诉讼-直接起诉", "直接诉讼", "未经复议起诉", "直接提起诉讼"),
    CASE_SUIT_AFTER: ("复议后起诉", "经复议后起诉", "经复议起诉", "复议后诉讼", "行政诉讼-复议后起诉", "复议后提起诉讼"),
}
# 结果 cell → column. A blank 结果 means the case is still pending (尚未审结).
CASE_RESULT_SYNONYMS = {
    "结果维持": ("维持", "结果维持", "驳回复议申请", "驳回诉讼请求", "驳回"),
    "结果纠正": ("纠正", "结果纠正", "撤销", "变更", "确认违法", "责令履行", "责令重新答复", "撤销重作"),
    "其他结果": ("其他", "其他结果", "其它", "撤回", "撤诉", "终止", "调解", "和解", "驳回起诉", "不予受理"),
    "尚未审结": ("尚未审结", "未审结", "审理中", "在审", "未结", "未结案", "待审", ""),
}

# ---------------------------------------------------------------------------------------------
# Register headers: standard column → synonyms (compared after NFKC, whitespace removed).

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    # 主动公开
    "信息内容": ("信息内容", "内容", "公开内容", "公开事项类别", "事项类别", "文件类别"),
    "日期": ("日期", "时间", "发布日期", "制发日期", "印发日期", "公开日期", "决定日期", "废止日期", "收费日期",
           "发文日期", "办理日期"),
    "动作": ("动作", "操作", "情形", "变动情况", "事项", "制发/废止", "制发或废止", "处理情况"),
    "金额（万元）": ("金额（万元）", "收费金额（万元）", "金额", "收费金额", "收费（万元）"),
    "金额（元）": ("金额（元）", "收费金额（元）", "收费（元）"),
    "数量": ("数量", "件数", "个数", "决定数量", "处理决定数量"),
    # 依申请公开
    "收到日期": ("收到日期", "收到申请日期", "申请日期", "受理日期", "收件日期", "登记日期", "收到时间",
              "申请时间", "接收日期", "收到申请时间"),
    "申请人类型": ("申请人类型", "申请人类别", "申请人性质", "申请主体", "申请主体类型", "申请人身份", "申请人情况"),
    "办理结果": ("办理结果", "答复结果", "处理结果", "答复类型", "办理结果类型", "答复情况", "答复意见"),
    "办结日期": ("办结日期", "答复日期", "办结时间", "答复时间", "完成日期", "办理完成日期", "答复办结日期"),
    # 复议诉讼
    "类型": ("类型", "案件类型", "复议诉讼类型", "类别", "方式", "案件类别"),
    "结果": ("结果", "审理结果", "复议结果", "诉讼结果", "案件结果", "结案结果", "复议诉讼结果"),
    "立案日期": ("立案日期", "受理日期", "收到日期", "日期", "申请日期", "起诉日期", "立案时间"),
}

# What makes a sheet a register of each kind: (kind, required columns, optional columns,
# how many of the required must be present for the sheet to be recognised at all).
# Kinds are tried in this order; the first whose columns are found wins.
REGISTER_KINDS = (
    ("依申请公开", ("收到日期", "申请人类型", "办理结果", "办结日期"), (), 3),
    ("主动公开", ("信息内容", "日期"), ("动作", "金额（万元）", "金额（元）", "数量"), 2),
    ("复议诉讼", ("类型", "结果"), ("立案日期",), 2),
)
# A 类型 cell that names litigation without saying whether it followed a reconsideration.
CASE_TYPE_AMBIGUOUS = ("行政诉讼", "诉讼", "起诉")
REGISTER_KIND_NAMES = {
    "主动公开": "主动公开登记表",
    "依申请公开": "依申请公开登记表",
    "复议诉讼": "行政复议、行政诉讼登记表",
}

SUBTOTAL_WORDS = ("合计", "小计", "总计")
# Cells of a filled table that mean "nothing" and are read as a blank (reported, counted as 0).
BLANK_TEXTS = frozenset({"", "-", "—", "——", "/", "／", "无", "空"})

# Written into the properties of the files govxl disclosure makes; such files are never read as registers.
OUTPUT_MARKER = "govxl disclosure"
