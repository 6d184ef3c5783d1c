"""The family picture: rows by generation, spouses and siblings beside, nothing overlapping."""

from __future__ import annotations

import itertools

from wayhome.people.familygraph import (
    BOX_W,
    GraphEdge,
    GraphNode,
    generations,
    layout,
    render_svg,
)


def nodes(*keys: str) -> list[GraphNode]:
    return [GraphNode(k, k.title(), href=f"/p/{k}/", focus=k == "mother") for k in keys]


MOTHER_FAMILY = [
    GraphEdge("grandmother", "mother", "parent"),
    GraphEdge("sister", "mother", "sibling"),
    GraphEdge("mother", "husband1", "spouse"),
    GraphEdge("husband2", "mother", "spouse"),
    GraphEdge("mother", "son", "parent"),
    GraphEdge("mother", "daughter", "parent"),
    GraphEdge("mother", "baby", "parent"),
]
ORDER = ("grandmother", "sister", "mother", "husband1", "husband2", "son", "daughter", "baby")


def test_mother_with_three_children_and_two_spouses() -> None:
    result = layout(nodes(*ORDER), MOTHER_FAMILY)
    box = result.boxes
    assert {k: b.row for k, b in box.items()} == {
        "grandmother": 0,
        "sister": 1,
        "mother": 1,
        "husband1": 1,
        "husband2": 1,
        "son": 2,
        "daughter": 2,
        "baby": 2,
    }
    # Siblings on one side, spouses on the other, in the order given.
    assert box["sister"].x < box["mother"].x < box["husband1"].x < box["husband2"].x
    assert box["son"].x < box["daughter"].x < box["baby"].x
    for row in range(3):
        xs = sorted(b.x for b in box.values() if b.row == row)
        assert all(b - a >= BOX_W for a, b in itertools.pairwise(xs)), "boxes overlap"
    assert box["grandmother"].y < box["mother"].y < box["son"].y
    assert result.width >= max(b.x for b in box.values()) + BOX_W
    assert result.height >= max(b.y for b in box.values())
    assert len(result.lines) == len(MOTHER_FAMILY)


def test_lines_join_the_boxes_they_link() -> None:
    result = layout(nodes(*ORDER), MOTHER_FAMILY)
    mother, son = result.boxes["mother"], result.boxes["son"]
    down = next(ln for ln in result.lines if ln.points[-1] == (son.x + BOX_W // 2, son.y))
    assert down.points[0][1] > mother.y  # from the mother's bottom edge
    spouse = next(ln for ln in result.lines if ln.kind == "spouse")
    assert all(y >= mother.y for _x, y in spouse.points)  # under the row, not through boxes


def test_grandparents_are_two_rows_up_and_unlinked_people_still_get_a_box() -> None:
    rows = generations(
        nodes("child", "granny", "stranger"), [GraphEdge("granny", "child", "grandparent")]
    )
    assert rows == {"granny": 0, "child": 2, "stranger": 2}


def test_render_escapes_names_and_links_each_box() -> None:
    svg = render_svg(
        layout([GraphNode("a", "<script>x</script>", href="/p/a/?x=1&y=2", note="mother")], []),
        "Family of <b>",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'href="/p/a/?x=1&amp;y=2"' in svg
    assert "<title>Family of &lt;b&gt;</title>" in svg
    assert svg.startswith("<svg")
    assert 'role="img"' in svg


def test_long_names_are_shortened() -> None:
    svg = render_svg(layout([GraphNode("a", "A" * 40)], []), "t")
    assert "A" * 21 + "…" in svg
    assert "A" * 22 not in svg


def test_right_to_left_rows_run_from_the_right() -> None:
    box = layout(nodes(*ORDER), MOTHER_FAMILY, rtl=True).boxes
    assert box["sister"].x > box["mother"].x > box["husband1"].x > box["husband2"].x
    assert box["son"].x > box["daughter"].x > box["baby"].x
