"""A small family picture: boxes by generation, drawn as inline SVG on the server.

Plain Python, no Django and no JavaScript: the page works under a strict CSP, prints, and
reads the same in every browser. Generations come from the links (a parent is one row
above, a grandparent two, a spouse or sibling on the same row); within a row, boxes keep
the order the caller gives, so the caller decides that siblings stand on one side of the
person and spouses on the other.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

BOX_W, BOX_H = 150, 44
GAP_X, GAP_Y, PAD = 20, 56, 12
MAX_LABEL = 22

# Rows between the two ends of a link: the first end is the elder one.
GENERATION_STEP = {"parent": 1, "guardian": 1, "grandparent": 2, "spouse": 0, "sibling": 0}


@dataclass(frozen=True)
class GraphNode:
    key: str
    label: str
    href: str = ""
    note: str = ""
    focus: bool = False


@dataclass(frozen=True)
class GraphEdge:
    """``elder`` is the parent, grandparent or guardian; either end for spouse/sibling."""

    elder: str
    younger: str
    kind: str


@dataclass(frozen=True)
class Box:
    node: GraphNode
    x: int
    y: int
    row: int


@dataclass(frozen=True)
class Line:
    kind: str
    points: tuple[tuple[int, int], ...]


@dataclass
class Layout:
    boxes: dict[str, Box] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    width: int = 0
    height: int = 0


def generations(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge]) -> dict[str, int]:
    """Row of each node, 0 at the top: breadth-first from each unplaced node in turn.

    Contradictory links (a cycle of parents) keep the first row found; the picture stays
    readable and the contradiction is for the caseworker to fix, not for the layout.
    """
    adjacent: dict[str, list[tuple[str, int]]] = {n.key: [] for n in nodes}
    for e in edges:
        if e.elder in adjacent and e.younger in adjacent:
            step = GENERATION_STEP.get(e.kind, 0)
            adjacent[e.elder].append((e.younger, step))
            adjacent[e.younger].append((e.elder, -step))
    row: dict[str, int] = {}
    for start in nodes:
        if start.key in row:
            continue
        row[start.key] = 0
        queue = deque([start.key])
        while queue:
            here = queue.popleft()
            for there, step in adjacent[here]:
                if there not in row:
                    row[there] = row[here] + step
                    queue.append(there)
    top = min(row.values(), default=0)
    return {key: r - top for key, r in row.items()}


def layout(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge], rtl: bool = False) -> Layout:
    """Place the boxes row by row, each row centred, and route the links between them.

    ``rtl`` runs each row from the right, as an Arabic reader reads it."""
    rows = generations(nodes, edges)
    by_row: dict[int, list[GraphNode]] = {}
    for node in nodes:
        by_row.setdefault(rows[node.key], []).append(node)
    widest = max((len(r) for r in by_row.values()), default=0)
    width = 2 * PAD + widest * BOX_W + max(widest - 1, 0) * GAP_X
    result = Layout(width=width, height=2 * PAD + (max(by_row, default=-1) + 1) * (BOX_H + GAP_Y))
    for r, row_nodes in by_row.items():
        row_width = len(row_nodes) * BOX_W + (len(row_nodes) - 1) * GAP_X
        x0 = (width - row_width) // 2
        y = PAD + r * (BOX_H + GAP_Y)
        for i, node in enumerate(reversed(row_nodes) if rtl else row_nodes):
            result.boxes[node.key] = Box(node, x0 + i * (BOX_W + GAP_X), y, r)
    result.lines = [_route(result.boxes, e, i) for i, e in enumerate(edges) if _drawable(result, e)]
    return result


def _drawable(result: Layout, edge: GraphEdge) -> bool:
    return edge.elder in result.boxes and edge.younger in result.boxes


def _route(boxes: dict[str, Box], edge: GraphEdge, index: int) -> Line:
    a, b = boxes[edge.elder], boxes[edge.younger]
    if a.row == b.row:
        # Same row: a bracket under the boxes, so it never runs through a box between them.
        drop = a.y + BOX_H + 6 + (index % 4) * 5
        ax, bx = a.x + BOX_W // 2, b.x + BOX_W // 2
        return Line(edge.kind, ((ax, a.y + BOX_H), (ax, drop), (bx, drop), (bx, b.y + BOX_H)))
    upper, lower = (a, b) if a.row < b.row else (b, a)
    return Line(
        edge.kind,
        ((upper.x + BOX_W // 2, upper.y + BOX_H), (lower.x + BOX_W // 2, lower.y)),
    )


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def render_svg(result: Layout, title: str) -> str:
    """The layout as an accessible inline SVG; every text is escaped here."""
    out = [
        f'<svg class="family" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {result.width} {result.height}" width="{result.width}" '
        f'height="{result.height}"><title>{escape(title)}</title>'
    ]
    for line in result.lines:
        pts = " ".join(f"{x},{y}" for x, y in line.points)
        out.append(f'<polyline class="link {escape(line.kind)}" points="{pts}" fill="none"/>')
    for box in result.boxes.values():
        out.append(_box_svg(box))
    out.append("</svg>")
    return "".join(out)


def _box_svg(box: Box) -> str:
    n, cx = box.node, box.x + BOX_W // 2
    shape = (
        f'<rect class="{"focus" if n.focus else "box"}" x="{box.x}" y="{box.y}" '
        f'width="{BOX_W}" height="{BOX_H}" rx="5"/>'
        f'<text x="{cx}" y="{box.y + 18}" text-anchor="middle">{escape(_short(n.label))}</text>'
        f'<text class="note" x="{cx}" y="{box.y + 35}" text-anchor="middle">'
        f"{escape(_short(n.note))}</text>"
    )
    if not n.href:
        return f"<g>{shape}</g>"
    return f'<a href="{escape(n.href)}">{shape}</a>'
