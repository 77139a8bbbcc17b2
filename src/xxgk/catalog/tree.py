"""The catalogue tree that ships with xxgk (政府信息公开目录), as data.

Three branches (``taxonomy.CATALOGUE_BRANCHES``): the fifteen statutory content classes of
Art. 20, the district government's items of Art. 21 (and the meetings and decisions the
seed's district publishes), and the key areas the State Council's annual
work points name. Each node is ``(code, Chinese name, English name, article, children)``;
codes are the stable part of public URLs (``/xxgk/fdzdgknr/jgzn/``), so a shipped code never
changes. The OGI office renames, reorders, adds and retires nodes in the staff pages;
``install`` (run after every migrate, ``apps.py``) only adds what is missing.
"""

from __future__ import annotations

from typing import NamedTuple


class Node(NamedTuple):
    code: str
    name: str
    name_en: str
    article: str = ""
    children: tuple[Node, ...] = ()


def _leaves(*pairs: tuple[str, str, str]) -> tuple[Node, ...]:
    return tuple(Node(code, name, name_en) for code, name, name_en in pairs)


DEFAULT_TREE: dict[str, tuple[Node, ...]] = {
    "statutory": (
        Node("gzhgfxwj", "规章和规范性文件", "Rules and normative documents", "第二十条第一项"),
        Node("jgzn", "机构职能", "Functions and organisation", "第二十条第二项"),
        Node("ghjh", "规划计划", "Plans", "第二十条第三项"),
        Node("tjxx", "统计信息", "Statistics", "第二十条第四项"),
        Node("xzxk", "行政许可", "Administrative licensing", "第二十条第五项"),
        Node("xzcf", "行政处罚和行政强制", "Penalties and enforcement", "第二十条第六项"),
        Node("czyjs", "财政预决算", "Budgets and final accounts", "第二十条第七项"),
        Node("xzsf", "行政事业性收费", "Administrative fees", "第二十条第八项"),
        Node("zfcg", "政府采购", "Government procurement", "第二十条第九项"),
        Node("zdjsxm", "重大建设项目", "Major construction projects", "第二十条第十项"),
        Node("msbz", "教育医疗社保就业", "Education, health, social security, employment",
             "第二十条第十一项"),
        Node("tfsj", "突发公共事件", "Public emergencies", "第二十条第十二项"),
        Node("jdjc", "监督检查", "Supervision and inspection", "第二十条第十三项"),
        Node("gwyzk", "公务员招考", "Civil-service recruitment", "第二十条第十四项"),
        Node("zcjd", "政策解读", "Policy interpretations", "第二十条第一项"),
        Node("qtxx", "其他信息", "Other information", "第二十条第十五项"),
    ),
    "district": (
        Node("csjs", "城乡建设", "Urban construction", "第二十一条"),
        Node("ggfw", "公共服务", "Public services", "第二十一条"),
        Node("tdzs", "土地征收", "Land requisition", "第二十一条"),
        Node("fwzs", "房屋征收", "Housing expropriation", "第二十一条"),
        Node("zaqk", "治安管理", "Public security", "第二十一条"),
        Node("shjz", "社会救助", "Social assistance", "第二十一条"),
        Node("cwhy", "常务会议", "Executive meetings"),
        Node("zdjc", "重大行政决策", "Major administrative decisions"),
    ),
    "key_area": (
        Node("ywjy", "义务教育", "Compulsory education"),
        Node("wgjy", "稳岗就业", "Employment"),
        Node("ylfw", "养老服务", "Elderly care"),
        Node("zdfwzs", "房屋征收与补偿", "Housing expropriation and compensation"),
        Node("shjzfl", "社会救助和社会福利", "Social assistance and welfare"),
        Node("ylws", "医疗卫生", "Health care"),
        Node("sthj", "生态环境", "Environment"),
        Node("spyp", "食品药品监管", "Food and drug safety"),
        Node("aqsc", "安全生产", "Work safety"),
        Node("ggwhty", "公共文化体育", "Public culture and sport"),
        Node("bzxaj", "保障性安居工程", "Affordable housing"),
        Node("yshj", "营商环境", "Business environment"),
    ),
}


def flat(tree: dict[str, tuple[Node, ...]] = DEFAULT_TREE
         ) -> list[tuple[str, str | None, int, Node]]:
    """Every node as ``(branch, parent code, position, node)``, parents before children."""
    rows: list[tuple[str, str | None, int, Node]] = []

    def walk(branch: str, parent: str | None, nodes: tuple[Node, ...]) -> None:
        for position, node in enumerate(nodes, start=1):
            rows.append((branch, parent, position, node))
            walk(branch, node.code, node.children)

    for branch, nodes in tree.items():
        walk(branch, None, nodes)
    return rows


def install(category_model: type, tree: dict[str, tuple[Node, ...]] = DEFAULT_TREE, *,
            using: str = "default") -> int:
    """Add the nodes of ``tree`` whose codes are missing; return how many were added.
    A node the OGI office renamed or retired is left as it is."""
    manager = category_model.objects.db_manager(using)
    known = dict(manager.values_list("code", "pk"))
    added = 0
    for branch, parent, position, node in flat(tree):
        if node.code in known:
            continue
        row = manager.create(
            branch=branch, parent_id=known.get(parent) if parent else None, code=node.code,
            name=node.name, name_en=node.name_en, article=node.article, position=position)
        known[node.code] = row.pk
        added += 1
    return added
