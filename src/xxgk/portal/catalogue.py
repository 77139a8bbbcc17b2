"""The 法定主动公开内容 tree with its counts: by class (the catalogue tree) and by agency.

Counts are of public items only, two ``GROUP BY`` queries for the whole tree; a node counts
its own items and those of every node below it. A node with nothing public is shown
without a link (a link to an empty column is a 空白栏目, a veto item in the national
inspection of government websites); a retired node is shown only while it holds items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.catalog.models import Category

from .queries import public_items


@dataclass
class Node:
    category: Category
    count: int = 0
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Branch:
    branch: taxonomy.Category
    nodes: list[Node]

    @property
    def count(self) -> int:
        return sum(node.count for node in self.nodes)


@dataclass(frozen=True)
class Tree:
    branches: list[Branch]
    total: int
    by_code: dict[str, Node]


def _category_counts() -> dict[int | None, int]:
    # COUNT(*), not COUNT(id): PostgreSQL then answers from the index alone (an
    # index-only scan of catalog_item_public_counts, 1.6 s → 0.1 s at 1,000,000 items).
    rows = (public_items().order_by().values("category_id").annotate(n=Count("*"))
            .values_list("category_id", "n"))
    return dict(rows)


def tree(*, counted: bool = True) -> Tree:
    """The whole tree with counts (two queries), or without (``counted=False``: one query,
    for a listing page, which needs the structure but not a count over every item)."""
    counts = _category_counts() if counted else {}
    nodes = {c.pk: Node(c, counts.get(c.pk, 0)) for c in Category.objects.all()}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id) if node.category.parent_id else None
        (parent.children if parent else roots).append(node)

    def total(node: Node) -> int:
        node.count += sum(total(child) for child in node.children)
        return node.count

    def shown(node: Node) -> bool:
        node.children = [child for child in node.children if shown(child)]
        return node.category.is_active or node.count > 0 or not counted

    for root in roots:
        total(root)

    def key(node: Node) -> tuple[int, int]:
        return (node.category.position, node.category.pk)

    def order(items: list[Node]) -> list[Node]:
        for node in items:
            node.children = order(node.children)
        return sorted(items, key=key)

    branches = [Branch(branch, order([n for n in roots
                                      if n.category.branch == branch.key and shown(n)]))
                for branch in taxonomy.CATALOGUE_BRANCHES]
    return Tree(branches=branches, total=sum(counts.values()),
                by_code={node.category.code: node for node in nodes.values()})


def descendants(node: Node) -> list[int]:
    """The ids of ``node``'s category and of every category below it (shown or not)."""
    found = [node.category.pk]
    for child in node.children:
        found.extend(descendants(child))
    return found


@dataclass(frozen=True)
class AgencyGroup:
    label: str
    agencies: list[tuple[Agency, int]]


def agencies_with_counts() -> list[AgencyGroup]:
    """Active agencies by kind, each with its count of public items: two queries."""
    counts = dict(public_items().order_by().values("agency_id").annotate(n=Count("*"))
                  .values_list("agency_id", "n"))
    agencies = list(Agency.objects.filter(is_active=True).order_by("path"))
    groups = []
    for kind, label in Agency.Kind.choices:
        members = [(a, counts.get(a.pk, 0)) for a in agencies if a.kind == kind]
        if members:
            groups.append(AgencyGroup(str(label), members))
    return groups
