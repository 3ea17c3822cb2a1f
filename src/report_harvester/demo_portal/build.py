# ruff: noqa: E501  (fixture text: long Chinese sentences read better unbroken)
"""Writes the demo portal's fixture sites from the figures below.

``server.demo_hosts`` calls ``build`` into a temporary folder each time the demo
portal starts; ``python -m report_harvester.demo_portal.build DIR`` writes them
to DIR for a look. Everything here is invented (明湖区, 清河区 are
fictional) and follows the national report formats described in domain.md:
2019 format (reports for 2019 and 2020) and 2021 format (2021 onward), tables
pasted from Word (nowrap cells, <p align=center>, rowspan/colspan, &nbsp;).
The figures of every report satisfy the consistency checks.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from pathlib import Path

APPLICANTS = 6  # natural person, 4 kinds of organisation, other (total computed)


@dataclass(frozen=True)
class Spec:
    """One report to write."""

    host: str
    path: str  # absolute path on the host
    org: str
    year: int
    published: str  # YYYY-MM-DD
    seed: int
    encoding: str = "utf-8"  # gb2312 pages carry a GBK-only character (昇)
    attachment: str | None = None  # path of a PDF copy linked from the page


def _td(text: str, *, colspan: int = 1, rowspan: int = 1, width: int = 60) -> str:
    span = (f' colspan="{colspan}"' if colspan > 1 else "") + (
        f' rowspan="{rowspan}"' if rowspan > 1 else ""
    )
    inner = text if text else "&nbsp;"
    return (
        f'<td nowrap="nowrap"{span} style="width:{width}px;border:solid windowtext 1.0pt;'
        f'padding:0cm 5.4pt"><p align="center" style="text-align:center">'
        f'<span style="font-size:10.5pt;font-family:宋体">{inner}</span></p></td>'
    )


def _table(rows: list[str]) -> str:
    body = "\n".join(f"<tr>{r}</tr>" for r in rows)
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%"'
        ' style="border-collapse:collapse;border:none">\n<tbody>\n' + body + "\n</tbody></table>"
    )


def _n(v: int | float | None) -> str:
    if v is None:
        return ""
    return f"{v:g}" if isinstance(v, float) else str(v)


# -- table 二 ----------------------------------------------------------------------------------


def table2_2021(rng: random.Random) -> str:
    regs = (0, 0, rng.randint(0, 2))
    norm_issued = rng.randint(1, 9)
    norm_rep = rng.randint(0, 3)
    norm = (norm_issued, norm_rep, rng.randint(norm_issued + 5, 40))
    lic = rng.randint(20, 900)
    pen, coe = rng.randint(0, 200), rng.randint(0, 12)
    fee = round(rng.uniform(0, 80), 2)
    rows = [
        _td("第二十条第（一）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("本年制发件数") + _td("本年废止件数") + _td("现行有效件数"),
        _td("规章", width=180) + "".join(_td(_n(v)) for v in regs),
        _td("行政规范性文件", width=180) + "".join(_td(_n(v)) for v in norm),
        _td("第二十条第（五）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("本年处理决定数量", colspan=3, width=380),
        _td("行政许可", width=180) + _td(_n(lic), colspan=3, width=380),
        _td("第二十条第（六）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("本年处理决定数量", colspan=3, width=380),
        _td("行政处罚", width=180) + _td(_n(pen), colspan=3, width=380),
        _td("行政强制", width=180) + _td(_n(coe), colspan=3, width=380),
        _td("第二十条第（八）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("本年收费金额（单位：万元）", colspan=3, width=380),
        _td("行政事业性收费", width=180) + _td(_n(fee), colspan=3, width=380),
    ]
    return _table(rows)


def table2_2019(rng: random.Random) -> str:
    norm_new = rng.randint(1, 8)
    lic_prev = rng.randint(30, 120)
    lic_change = rng.randint(-5, 6)
    pen_prev = rng.randint(10, 60)
    fee_prev = rng.randint(0, 10)
    rows = [
        _td("第二十条第（一）项", colspan=4, width=560),
        _td("信息内容", width=180)
        + _td("本年新<br/>制作数量")
        + _td("本年新<br/>公开数量")
        + _td("对外公开总数量"),
        _td("规章", width=180) + _td("0") + _td("0") + _td("0"),
        _td("规范性文件", width=180)
        + _td(_n(norm_new))
        + _td(_n(norm_new))
        + _td(_n(norm_new + rng.randint(5, 30))),
        _td("第二十条第（五）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("上一年项目数量") + _td("本年增/减") + _td("处理决定数量"),
        _td("行政许可", width=180)
        + _td(_n(lic_prev))
        + _td(f"{lic_change:+d}" if lic_change else "0")
        + _td(_n(rng.randint(50, 900))),
        _td("其他对外管理服务事项", width=180) + _td("0") + _td("0") + _td("0"),
        _td("第二十条第（六）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("上一年项目数量") + _td("本年增/减") + _td("处理决定数量"),
        _td("行政处罚", width=180)
        + _td(_n(pen_prev))
        + _td("0")
        + _td(_n(rng.randint(0, 150))),
        _td("行政强制", width=180) + _td("2") + _td("0") + _td(_n(rng.randint(0, 5))),
        _td("第二十条第（八）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("上一年项目数量") + _td("本年增/减", colspan=2, width=200),
        _td("行政事业性收费", width=180) + _td(_n(fee_prev)) + _td("0", colspan=2, width=200),
        _td("第二十条第（九）项", colspan=4, width=560),
        _td("信息内容", width=180) + _td("采购项目数量", colspan=2, width=200) + _td("采购总金额"),
        _td("政府集中采购", width=180)
        + _td(_n(rng.randint(0, 20)), colspan=2, width=200)
        + _td(_n(round(rng.uniform(0, 500), 2))),
    ]
    return _table(rows)


# -- table 三 ----------------------------------------------------------------------------------

DENIED = [
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
]
UNAVAILABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
REJECTED = [
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
]
OTHER_2021 = [
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]


def _t3_figures(rng: random.Random, fmt: str) -> dict[str, list[int]]:
    """Row key → six applicant values, consistent (balance, outcomes)."""
    outcome_rows = (
        ["granted", "partially_granted"]
        + [f"denied_{i}" for i in range(8)]
        + [f"unavailable_{i}" for i in range(3)]
        + [f"rejected_{i}" for i in range(5)]
        + (["other_0", "other_1", "other_2"] if fmt == "2021" else ["other_handling"])
    )
    rows: dict[str, list[int]] = {k: [0] * APPLICANTS for k in outcome_rows}
    rows["new_received"] = [0] * APPLICANTS
    rows["carried_over"] = [0] * APPLICANTS
    rows["carried_forward"] = [0] * APPLICANTS
    weights = {"granted": 8, "partially_granted": 2, "denied_3": 1, "unavailable_0": 3,
               "rejected_1": 1, "other_handling": 1, "other_2": 1}
    choices = [k for k in outcome_rows if k in weights]
    w = [weights[k] for k in choices]
    for col, scale in enumerate((30, 6, 0, 1, 0, 2)):
        new = rng.randint(0, scale) if scale else 0
        carried = rng.randint(0, 2) if new else 0
        forward = rng.randint(0, min(2, new + carried))
        rows["new_received"][col] = new
        rows["carried_over"][col] = carried
        rows["carried_forward"][col] = forward
        for _ in range(new + carried - forward):
            rows[rng.choices(choices, w)[0]][col] += 1
    rows["total_processed"] = [
        sum(rows[k][c] for k in outcome_rows) for c in range(APPLICANTS)
    ]
    return rows


def table3(rng: random.Random, fmt: str) -> str:
    f = _t3_figures(rng, fmt)

    def cells(key: str) -> str:
        values = f[key] + [sum(f[key])]
        return "".join(_td(_n(v), width=50) for v in values)

    span = 22 if fmt == "2021" else 20
    rows = [
        _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            colspan=3, rowspan=3, width=300)
        + _td("申请人情况", colspan=7, width=350),
        _td("自然人", rowspan=2, width=50) + _td("法人或其他组织", colspan=5, width=250)
        + _td("总计", rowspan=2, width=50),
        _td("商业<br/>企业", width=50) + _td("科研<br/>机构", width=50)
        + _td("社会公益组织", width=50) + _td("法律服务机构", width=50) + _td("其他", width=50),
        _td("一、本年新收政府信息公开申请数量", colspan=3, width=300) + cells("new_received"),
        _td("二、上年结转政府信息公开申请数量", colspan=3, width=300) + cells("carried_over"),
        _td("三、本年度办理结果", rowspan=span, width=60)
        + _td("（一）予以公开", colspan=2, width=240) + cells("granted"),
        _td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2, width=240)
        + cells("partially_granted"),
    ]
    for i, label in enumerate(DENIED):
        lead = _td("（三）不予公开", rowspan=8, width=80) if i == 0 else ""
        rows.append(lead + _td(label, width=160) + cells(f"denied_{i}"))
    for i, label in enumerate(UNAVAILABLE):
        lead = _td("（四）无法提供", rowspan=3, width=80) if i == 0 else ""
        rows.append(lead + _td(label, width=160) + cells(f"unavailable_{i}"))
    for i, label in enumerate(REJECTED):
        lead = _td("（五）不予处理", rowspan=5, width=80) if i == 0 else ""
        rows.append(lead + _td(label, width=160) + cells(f"rejected_{i}"))
    if fmt == "2021":
        for i, label in enumerate(OTHER_2021):
            lead = _td("（六）其他处理", rowspan=3, width=80) if i == 0 else ""
            rows.append(lead + _td(label, width=160) + cells(f"other_{i}"))
    else:
        rows.append(_td("（六）其他处理", colspan=2, width=240) + cells("other_handling"))
    rows.append(_td("（七）总计", colspan=2, width=240) + cells("total_processed"))
    rows.append(_td("四、结转下年度继续办理", colspan=3, width=300) + cells("carried_forward"))
    return _table(rows)


# -- table 四 ----------------------------------------------------------------------------------


def table4(rng: random.Random) -> str:
    values: list[int] = []
    for _ in range(3):
        parts = [rng.choice((0, 0, 0, 1)), 0, 0, rng.choice((0, 0, 1))]
        values += [*parts, sum(parts)]
    outcomes = ["结果<br/>维持", "结果<br/>纠正", "其他<br/>结果", "尚未<br/>审结", "总计"]
    rows = [
        _td("行政复议", colspan=5, width=250) + _td("行政诉讼", colspan=10, width=500),
        "".join(_td(o, rowspan=2, width=50) for o in outcomes)
        + _td("未经复议直接起诉", colspan=5, width=250)
        + _td("复议后起诉", colspan=5, width=250),
        "".join(_td(o, width=50) for o in outcomes * 2),
        "".join(_td(_n(v), width=50) for v in values),
    ]
    return _table(rows)


# -- pages -------------------------------------------------------------------------------------


def _page(title: str, body: str, encoding: str, *, site: str) -> bytes:
    meta = "gb2312" if encoding != "utf-8" else "utf-8"
    doc = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={meta}" />
<title>{html.escape(title)}_{html.escape(site)}</title>
</head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/xxgk/">政务公开</a></div>
{body}
<div class="footer">主办：{html.escape(site)}（示范站点，内容为虚构）</div>
</body>
</html>
"""
    return doc.encode("gb18030" if encoding != "utf-8" else "utf-8")


def report_page(spec: Spec) -> bytes:
    rng = random.Random(spec.seed)
    fmt = "2021" if spec.year >= 2021 else "2019"
    title = f"{spec.org}{spec.year}年政府信息公开工作年度报告"
    contact = "联系人：王昇，电话：0000-0000000。" if spec.encoding != "utf-8" else ""
    t2 = table2_2021(rng) if fmt == "2021" else table2_2019(rng)
    attach = ""
    if spec.attachment:
        name = spec.attachment.rsplit("/", 1)[1]
        attach = (
            f'<p>附件：<a href="{spec.attachment}" title="{html.escape(title)}.pdf">'
            f"{html.escape(title)}.pdf</a></p><!-- {name} -->"
        )
    body = f"""<div class="article">
<h1 class="title">{html.escape(title)}</h1>
<div class="info">发布日期：{spec.published}&nbsp;&nbsp;来源：{html.escape(spec.org)}</div>
<div class="TRS_Editor">
<p style="text-indent:2em">本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室有关要求编制。本报告所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。{contact}</p>
<p style="text-indent:2em"><strong>一、总体情况</strong></p>
<p style="text-indent:2em">{spec.year}年，{html.escape(spec.org)}认真贯彻落实《条例》，以公开为常态、不公开为例外，持续推进政府信息公开工作。</p>
<p style="text-indent:2em">（一）主动公开。全年通过门户网站主动公开政府信息，及时更新政策文件、财政预决算等重点领域信息。</p>
<p style="text-indent:2em">（二）依申请公开。规范办理流程，按时答复。</p>
<p style="text-indent:2em"><strong>二、主动公开政府信息情况</strong></p>
{t2}
<p style="text-indent:2em"><strong>三、收到和处理政府信息公开申请情况</strong></p>
{table3(rng, fmt)}
<p style="text-indent:2em"><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
{table4(rng)}
<p style="text-indent:2em"><strong>五、存在的主要问题及改进情况</strong></p>
<p style="text-indent:2em">一是公开内容的深度还不够；二是解读形式较为单一。下一步将加强培训，提升公开质量。</p>
<p style="text-indent:2em"><strong>六、其他需要报告的事项</strong></p>
<p style="text-indent:2em">本年度{"未收取信息处理费" if fmt == "2021" else "无其他需要报告的事项"}。</p>
{attach}
</div>
</div>"""
    return _page(title, body, spec.encoding, site=spec.org)


def other_page(title: str, text: str, site: str) -> bytes:
    body = f"""<div class="article"><h1 class="title">{html.escape(title)}</h1>
<div class="TRS_Editor"><p>{html.escape(text)}</p></div></div>"""
    return _page(title, body, "utf-8", site=site)


def list_page(
    site: str,
    column: str,
    items: list[tuple[str, str, str]],
    *,
    encoding: str = "utf-8",
    nav: list[tuple[str, str]] | None = None,
    pager: str = "",
) -> bytes:
    """A column page: ``items`` are (href, title, date)."""
    lis = "\n".join(
        f'<li><a href="{href}" target="_blank" title="{html.escape(t)}">{html.escape(t)}</a>'
        f"<span>{d}</span></li>"
        for href, t, d in items
    )
    side = ""
    if nav:
        side = '<div class="side"><h3>分类</h3><ul>' + "".join(
            f'<li><a href="{h}">{html.escape(t)}</a></li>' for h, t in nav
        ) + "</ul></div>"
    body = f"""<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政务公开</a> &gt; {html.escape(column)}</div>
{side}
<div class="main"><h2>{html.escape(column)}</h2>
<ul class="list">
{lis}
</ul>
{pager}
</div>"""
    return _page(column, body, encoding, site=site)


def trs_pager(count: int, current: int) -> str:
    return f"""<div class="page"><script type="text/javascript">
var currentPage = {current};//所在页从0开始
var prefixName = "index";//页面前缀
var suffixName = "html";//页面后缀
createPageHTML({count}, {current}, "index", "html");
</script></div>"""


def count_pager(count: int) -> str:
    return f"""<div class="page"><script>var countPage = {count};//共多少页
var currentPage = 0;</script></div>"""


def hanweb_pager(current: int, last: int, base: str) -> str:
    links = []
    if current > 1:
        links.append(f'<a href="{base}?pageNum={current - 1}">上一页</a>')
    for n in range(1, last + 1):
        links.append(f"<span>{n}</span>" if n == current else f'<a href="{base}?pageNum={n}">{n}</a>')
    links.append(f'<a href="{base}?pageNum={current + 1}">下一页</a>')
    links.append(f'<a href="{base}?pageNum={last}">尾页</a>')
    return '<div class="pager">' + " ".join(links) + "</div>"


# -- the sites ---------------------------------------------------------------------------------

MH = "明湖区人民政府"
COL = "/xxgk/zfxxgknb"
REPORTS = [
    Spec("minghu", f"{COL}/202201/t20220125_1001.html", MH, 2021, "2022-01-25", 11),
    Spec("minghu", f"{COL}/202101/t20210128_901.html", MH, 2020, "2021-01-28", 12),
    Spec("minghu", f"{COL}/202001/t20200120_801.html", MH, 2019, "2020-01-20", 13),
    Spec("minghu", f"{COL}/czj/202201/t20220112_1101.html", "明湖区财政局", 2021, "2022-01-12", 21,
         encoding="gbk"),
    Spec("minghu", f"{COL}/czj/202101/t20210115_905.html", "明湖区财政局", 2020, "2021-01-15", 22),
    Spec("minghu", f"{COL}/hbjd/202201/t20220118_1201.html", "明湖区湖滨街道办事处", 2021,
         "2022-01-18", 31, attachment=f"{COL}/hbjd/202201/P020220118512345.pdf"),
    Spec("jyj", "/art/2022/1/20/art_2001_3001.html", "明湖区教育局", 2021, "2022-01-20", 41,
         encoding="gbk"),
    Spec("jyj", "/art/2021/1/22/art_2001_2501.html", "明湖区教育局", 2020, "2021-01-22", 42,
         encoding="gbk"),
    Spec("jyj", "/art/2020/1/21/art_2001_2001.html", "明湖区教育局", 2019, "2020-01-21", 43,
         encoding="gbk"),
    Spec("qinghe", "/zwgk/xxgknb/2021/202201/t20220127_71.html", "清河区人民政府", 2021,
         "2022-01-27", 51),
    Spec("qinghe", "/zwgk/xxgknb/2021/202201/t20220121_66.html", "清河区卫生健康局", 2021,
         "2022-01-21", 52),
    Spec("qinghe", "/zwgk/xxgknb/2020/202101/t20210126_51.html", "清河区人民政府", 2020,
         "2021-01-26", 53),
    Spec("qinghe", "/zwgk/xxgknb/2020/202101/t20210119_47.html", "清河区卫生健康局", 2020,
         "2021-01-19", 54),
]


def _item(spec: Spec) -> tuple[str, str, str]:
    return spec.path, f"{spec.org}{spec.year}年政府信息公开工作年度报告", spec.published


def build(root: Path) -> list[Path]:
    """Write every fixture file under ``root``; returns the paths written."""
    files: dict[str, bytes] = {}
    by_path = {(s.host, s.path): s for s in REPORTS}
    for spec in REPORTS:
        files[f"{spec.host}{spec.path}"] = report_page(spec)
        if spec.attachment:
            files[f"{spec.host}{spec.attachment}"] = (
                b"%PDF-1.4\n% demo attachment: not a real PDF body\n%%EOF\n"
            )

    def r(host: str, path: str) -> tuple[str, str, str]:
        return _item(by_path[(host, path)])

    # 明湖区: TRS, two pages (createPageHTML), department and town sub-columns
    nav = [
        ("czj/index.html", "区财政局"),
        ("hbjd/index.html", "湖滨街道"),
        ("http://{{host:jyj}}/col/col2001/index.html", "区教育局"),  # another host: not followed
    ]
    site = "明湖区人民政府（示范）"
    files[f"minghu{COL}/index.html"] = list_page(
        site,
        "政府信息公开年报",
        [
            r("minghu", f"{COL}/202201/t20220125_1001.html"),
            (f"{COL}/202201/t20220126_1002.html",
             "《明湖区人民政府2021年政府信息公开工作年度报告》解读", "2022-01-26"),
            (f"{COL}/202112/t20211220_990.html",
             "关于做好2021年度政府信息公开工作年度报告编制发布工作的通知", "2021-12-20"),
            (f"{COL}/202203/t20220310_1010.html", "明湖区2021年法治政府建设年度报告", "2022-03-10"),
            (f"{COL}/draft/t20230105_1.html",
             "明湖区人民政府2022年政府信息公开工作年度报告（征求意见稿）", "2023-01-05"),
        ],
        nav=nav,
        pager=trs_pager(2, 0),
    )
    files[f"minghu{COL}/index_1.html"] = list_page(
        site,
        "政府信息公开年报",
        [
            r("minghu", f"{COL}/202101/t20210128_901.html"),
            (f"{COL}/202101/t20210129_902.html",
             "图解：明湖区人民政府2020年政府信息公开工作年度报告", "2021-01-29"),
            r("minghu", f"{COL}/202001/t20200120_801.html"),
        ],
        nav=nav,
        pager=trs_pager(2, 1),
    )
    files[f"minghu{COL}/czj/index.html"] = list_page(
        site,
        "区财政局",
        [
            r("minghu", f"{COL}/czj/202201/t20220112_1101.html"),
            r("minghu", f"{COL}/czj/202101/t20210115_905.html"),
        ],
        pager=count_pager(1),
    )
    files[f"minghu{COL}/hbjd/index.html"] = list_page(
        site,
        "湖滨街道",
        [r("minghu", f"{COL}/hbjd/202201/t20220118_1201.html")],
        pager=count_pager(1),
    )
    files[f"minghu{COL}/202201/t20220126_1002.html"] = other_page(
        "《明湖区人民政府2021年政府信息公开工作年度报告》解读",
        "一图读懂：本文是对年度报告的文字解读，不是报告本身。",
        site,
    )
    files[f"minghu{COL}/202112/t20211220_990.html"] = other_page(
        "关于做好2021年度政府信息公开工作年度报告编制发布工作的通知",
        "各单位：请于1月31日前完成年度报告的编制和发布。",
        site,
    )
    files[f"minghu{COL}/draft/t20230105_1.html"] = other_page(
        "明湖区人民政府2022年政府信息公开工作年度报告（征求意见稿）", "草稿：robots.txt 不允许抓取。",
        site,
    )
    files["minghu/index.html"] = other_page(site, "示范门户首页。", site)
    files["minghu/robots.txt"] = (
        b"# demo portal\nUser-agent: *\nDisallow: /xxgk/zfxxgknb/draft/\nDisallow: /admin/\n"
    )

    # 明湖区教育局: Hanweb-like, GBK without a header charset, ?pageNum=N with 下一页/尾页;
    # page 3 repeats page 2 (as many sites do past the end)
    jsite = "明湖区教育局（示范）"
    base = "/col/col2001/index.html"
    page1 = [
        r("jyj", "/art/2022/1/20/art_2001_3001.html"),
        ("/art/2022/1/21/art_2001_3002.html", "明湖区教育局2021年政府信息公开工作年度报告解读",
         "2022-01-21"),
    ]
    page2 = [
        r("jyj", "/art/2021/1/22/art_2001_2501.html"),
        r("jyj", "/art/2020/1/21/art_2001_2001.html"),
    ]
    first = list_page(jsite, "政府信息公开年报", page1, encoding="gbk",
                      pager=hanweb_pager(1, 2, base))
    files[f"jyj{base}"] = first
    files["jyj/col/col2001/page-1.html"] = first
    files["jyj/col/col2001/page-2.html"] = list_page(
        jsite, "政府信息公开年报", page2, encoding="gbk", pager=hanweb_pager(2, 2, base)
    )
    files["jyj/col/col2001/page-3.html"] = files["jyj/col/col2001/page-2.html"]
    files["jyj/robots.txt"] = b"User-agent: *\nAllow: /\n"

    # 清河区: year sub-columns (2021年, 2020年), robots Crawl-delay
    qsite = "清河区人民政府（示范）"
    files["qinghe/zwgk/xxgknb/index.html"] = list_page(
        qsite,
        "政府信息公开年报",
        [],
        nav=[("2021/index.html", "2021年"), ("2020/index.html", "2020年")],
    )
    # report files linked straight from the 2021 list: one PDF-only, one Word report
    from .files import docx_report, pdf_report

    report_files = {
        2021: [
            ("/zwgk/xxgknb/2021/202201/P020220124_61.pdf", "清河区市场监督管理局", "2022-01-24",
             pdf_report("清河区市场监督管理局", 2021, 61)),
            ("/zwgk/xxgknb/2021/202201/W020220123_62.docx", "清河区档案馆", "2022-01-23",
             docx_report("清河区档案馆", 2021, 62)),
        ],
    }
    for year, folder in ((2021, "2021"), (2020, "2020")):
        items = [_item(s) for s in REPORTS if s.host == "qinghe" and s.year == year]
        for href, org, date, body in report_files.get(year, []):
            files[f"qinghe{href}"] = body
            items.append((href, f"{org}{year}年政府信息公开工作年度报告", date))
        files[f"qinghe/zwgk/xxgknb/{folder}/index.html"] = list_page(
            qsite, f"{year}年", items, pager=trs_pager(1, 0)
        )
    files["qinghe/robots.txt"] = b"User-agent: *\nCrawl-delay: 0.1\nDisallow: /admin/\n"

    written = []
    for rel, data in sorted(files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-sites")
    for p in build(target):
        print(p.relative_to(target))
