"""The family pictures of the person and group pages, from the domain to ``familygraph``."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from wayhome.people.familygraph import GraphEdge, GraphNode, layout, render_svg
from wayhome.people.kinship import Role
from wayhome.people.models import Person, Relationship
from wayhome.people.selectors import Kin

# Left to right within a row: siblings on one side of the person, spouses on the other.
_BEFORE_FOCUS = (Role.GRANDPARENT, Role.PARENT, Role.GUARDIAN, Role.SIBLING)


def _node(person: Person, note: str, focus: bool = False) -> GraphNode:
    return GraphNode(
        key=str(person.uuid),
        label=str(person),
        href=reverse("people:detail", args=[person.uuid]),
        note=note,
        focus=focus,
    )


def _edge(rel: Relationship) -> GraphEdge:
    return GraphEdge(str(rel.from_person.uuid), str(rel.to_person.uuid), rel.kind)


def person_graph(person: Person, kin: Sequence[Kin]) -> SafeString:
    """The person among their relatives, each box a link to that relative's page."""
    before = [k for k in kin if k.role in _BEFORE_FOCUS]
    after = [k for k in kin if k.role not in _BEFORE_FOCUS]
    nodes: dict[str, GraphNode] = {}
    for k in before:
        nodes.setdefault(str(k.other.uuid), _node(k.other, k.word))
    nodes[str(person.uuid)] = _node(person, person.get_current_status_display(), focus=True)
    for k in after:
        nodes.setdefault(str(k.other.uuid), _node(k.other, k.word))
    edges = [_edge(k.relationship) for k in kin]
    title = _("Family of %(name)s") % {"name": person}
    # The SVG is built from escaped text only (familygraph.render_svg escapes every value).
    rtl = get_language_bidi()
    return mark_safe(render_svg(layout(list(nodes.values()), edges, rtl), title))  # noqa: S308


def group_graph(label: str, members: Sequence[Person], links: Sequence[Relationship]) -> SafeString:
    """The members of a family group and the links between them."""
    nodes = [_node(p, p.get_current_status_display()) for p in members]
    title = _("Family group %(label)s") % {"label": label}
    graph = layout(nodes, [_edge(r) for r in links], get_language_bidi())
    return mark_safe(render_svg(graph, title))  # noqa: S308
