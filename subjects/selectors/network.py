"""``subject_network``: two hops over links, hubs collapsed, capped."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from vik.core.accesslog import Shown
from vik.core.models import User

from ..constants import LinkType, SubjectKind
from ..models import SubjectBase
from .common import link_list, subject_label, subject_url
from .page import _visible_objects

# --- network --------------------------------------------------------------------------------------------

HUB_THRESHOLD = 25
MAX_NODES = 500


def _node_id(kind: str, pk: int) -> str:
    return f"{kind}-{pk}"


def _links_touching(user: User, nodes: list[tuple[str, int]], cap: int) -> list[dict]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, pk in nodes:
        by_kind[kind].append(pk)
    q = Q()
    for kind, pks in by_kind.items():
        q |= Q(from_kind=kind, from_id__in=pks) | Q(to_kind=kind, to_id__in=pks)
    return list(
        link_list(user=user)  # type: ignore[arg-type]
        .filter(q)
        .order_by("pk")
        .values("pk", "from_kind", "from_id", "to_kind", "to_id", "link_type", "end_date")[:cap]
    )


def _degrees(user: User, nodes: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Visible links per node, in one query (the grouped counts of both link ends, combined)."""
    if not nodes:
        return {}
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, pk in nodes:
        by_kind[kind].append(pk)
    parts = []
    for end in ("from", "to"):
        q = Q()
        for kind, pks in by_kind.items():
            q |= Q(**{f"{end}_kind": kind, f"{end}_id__in": pks})
        parts.append(
            link_list(user=user)
            .filter(q)
            .order_by()
            .values_list(f"{end}_kind", f"{end}_id")
            .annotate(n=Count("pk"))
        )
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for kind, pk, n in parts[0].union(parts[1], all=True):
        counts[(kind, pk)] += n
    return counts


def subject_network(
    *,
    user: User,
    subject: SubjectBase,
    hops: int = 2,
    hub_threshold: int = HUB_THRESHOLD,
    max_nodes: int = MAX_NODES,
) -> dict:
    """The subject's links to ``hops`` hops, only through and to records the user may see. A node
    (other than the subject) with more than ``hub_threshold`` links is not expanded: it gets a
    count node instead. At most ``max_nodes`` nodes."""
    root = (subject.kind, subject.pk)  # type: ignore[attr-defined]
    objects: dict[tuple[str, int], SubjectBase] = {root: subject}
    depth: dict[tuple[str, int], int] = {root: 0}
    edges: dict[int, dict] = {}
    hubs: dict[tuple[str, int], int] = {}
    truncated = False
    type_labels = dict(LinkType.choices)
    frontier = [root]
    for level in range(1, hops + 1):
        if not frontier:
            break
        links = _links_touching(user, frontier, cap=max_nodes * 20)
        per_node: dict[tuple[str, int], list[dict]] = defaultdict(list)
        frontier_set = set(frontier)
        for link in links:
            a, b = (link["from_kind"], link["from_id"]), (link["to_kind"], link["to_id"])
            if a in frontier_set:
                per_node[a].append(link)
            if b in frontier_set and b != a:
                per_node[b].append(link)
        candidates: dict[str, set[int]] = defaultdict(set)
        expand: list[tuple[tuple[str, int], list[dict]]] = []
        for node in frontier:
            node_links = per_node.get(node, [])
            if node != root and len(node_links) > hub_threshold:
                hubs[node] = len(node_links)
                continue
            expand.append((node, node_links))
            for link in node_links:
                for end in ((link["from_kind"], link["from_id"]), (link["to_kind"], link["to_id"])):
                    if end not in objects:
                        candidates[end[0]].add(end[1])
        visible = _visible_objects(user, candidates)
        next_frontier: list[tuple[str, int]] = []
        for node, node_links in expand:
            for link in node_links:
                a, b = (link["from_kind"], link["from_id"]), (link["to_kind"], link["to_id"])
                other = b if a == node else a
                if other not in objects:
                    obj = visible.get(other)
                    if obj is None or obj.is_merged:
                        continue
                    if len(objects) >= max_nodes:
                        truncated = True
                        continue
                    objects[other] = obj
                    depth[other] = level
                    next_frontier.append(other)
                edges[link["pk"]] = {
                    "id": f"link-{link['pk']}",
                    "source": _node_id(*a),
                    "target": _node_id(*b),
                    "label": str(type_labels.get(link["link_type"], link["link_type"])),
                    "ended": link["end_date"] is not None,
                }
        frontier = next_frontier
    # The outer ring is not expanded; still mark its hubs so the graph shows "+N relaties".
    for node, count in _degrees(user, frontier).items():
        if count > hub_threshold:
            hubs[node] = count
    nodes = []
    for key, obj in objects.items():
        kind, pk = key
        nodes.append(
            {
                "id": _node_id(kind, pk),
                "kind": kind,
                "kind_label": str(SubjectKind(kind).label),
                "label": subject_label(obj),
                "url": subject_url(kind, pk),
                "depth": depth[key],
                "root": key == root,
                "hub": key in hubs,
            }
        )
    for key, count in hubs.items():
        kind, pk = key
        hub_id = f"hub-{kind}-{pk}"
        nodes.append(
            {
                "id": hub_id,
                "kind": "count",
                "kind_label": _("Verzameling"),
                "label": _("+%(n)s relaties") % {"n": count},
                "url": subject_url(kind, pk),
                "depth": depth[key] + 1,
                "root": False,
                "hub": False,
                "count": count,
            }
        )
        edges[f"hub-{kind}-{pk}"] = {  # type: ignore[index]
            "id": f"edge-{hub_id}",
            "source": _node_id(kind, pk),
            "target": hub_id,
            "label": "",
            "ended": False,
        }
    return {
        "nodes": nodes,
        "edges": list(edges.values()),
        "truncated": truncated,
        "hub_threshold": hub_threshold,
        "max_nodes": max_nodes,
    }


def network_shown(network: dict) -> list[Shown]:
    """The records a network view names (its subject nodes, not the "+N" hubs), for the log."""
    shown = []
    for node in network["nodes"]:
        if node["kind"] in SubjectKind.values:
            pk = int(node["id"].rsplit("-", 1)[1])
            shown.append(Shown(f"subjects.{node['kind']}", pk, node["label"]))
    return shown
