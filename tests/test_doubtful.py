"""Issue 19, “say it when something is changed or doubtful”: each doubt said once, in Chinese, saying
what is really wrong, located; nothing changed silently."""
import datetime as dt
from collections import Counter

from conftest import write_xlsx
from govxl import api

D = dt.datetime


def problems_of(result, severity=None):
    return [p for p in result["problems"] if severity is None or p["severity"] == severity]


def test_an_unknown_publication_on_an_adoption_register_row_is_warned_once(ws):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"十月": [["单位", "标题", "报送日期"],
                                                     ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3)],
                                                     ["青石镇", "青石镇茶产业提质增效", D(2025, 10, 4)]]})
    write_xlsx(ws / "workbooks" / "采用登记.xlsx", {"登记": [["单位", "标题", "采用情况"],
                                                       ["城关镇", "城关镇推进秋粮收购", "《东川省政务信息》"],
                                                       ["青石镇", "青石镇茶产业提质增效工作", "《江源市政务信息》"]]})
    runs = [api.check(), api.score(month="2025-10"), api.score(month="2025-10")]  # the last from out/.cache
    for result in runs:
        said = Counter((p["file"], p["row"], p["message"]) for p in problems_of(result, "warning"))
        assert said and max(said.values()) == 1, said
        publications = [k for k in said if "不在采用计分中" in k[2]]
        assert [(f, r) for f, r, _ in sorted(publications)] == [("workbooks/采用登记.xlsx", 2),
                                                                ("workbooks/采用登记.xlsx", 3)]
        assert any("相似度" in m for _, _, m in said)  # the fuzzy match is still said, once
