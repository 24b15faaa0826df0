"""Small-cell suppression that cannot be undone by subtraction (pure functions, no Django).

A count from 1 to 4 is hidden (primary suppression). Hiding it alone is not enough: when the
total of its row, its column or its figure is known (shown, or derivable from another figure of
the same base, e.g. "signals per source" and "signals per status" both add up to the number of
signals), the hidden cell is that total minus the shown cells. So more cells are hidden
(complementary suppression) until no hidden cell follows from the known totals and the shown
cells.

The model. A table of counts, with these totals taken as known to the reader:
- the grand total, always;
- every row total, if ``row_totals`` (and the table has more than one column: in a one-column
  table a row total is the cell itself, and it is not published anywhere);
- every column total, if ``column_totals`` (and the table has more than one row).
The hidden cells are the unknowns of the linear equations "known total = shown cells + hidden
cells". A hidden cell follows from them exactly when it is a bridge in the multigraph whose
nodes are the rows and the columns with a known total (rows without one merge into one node,
likewise columns) and whose edges are the hidden cells: the solutions of the homogeneous system
are the (even) cycles of that graph, so a cell on a cycle can change while every total stays the
same, and a cell on no cycle cannot. :func:`protect` adds hidden cells until there is no bridge,
preferring the smallest non-zero cells (least information lost; a hidden zero would let a row of
hidden zeros be read as zeros). tests/dashboards/test_suppression.py checks the result against
plain linear algebra for arbitrary tables (hypothesis).

Not covered (see docs/authorization.md): differences between two different filter selections
(e.g. two periods that differ by one day), and bounds reasoning beyond exact derivation.
"""

from __future__ import annotations

from collections.abc import Sequence

Cell = tuple[int, int]


def _nodes(n_rows: int, n_cols: int, row_totals: bool, column_totals: bool):
    rows_known = row_totals and n_cols > 1
    cols_known = column_totals and n_rows > 1

    def row_node(i: int):
        return ("r", i if rows_known else None)

    def col_node(j: int):
        return ("c", j if cols_known else None)

    return row_node, col_node


def _lines(n_rows: int, n_cols: int, row_totals: bool, column_totals: bool) -> list[list[Cell]]:
    """The cells of every line whose total the reader knows (the grand total always)."""
    lines = [[(i, j) for i in range(n_rows) for j in range(n_cols)]]
    if row_totals and n_cols > 1:
        lines += [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    if column_totals and n_rows > 1:
        lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return lines


def known_zeros(table, hidden, *, row_totals: bool = True, column_totals: bool = True) -> set[Cell]:
    """Hidden cells the reader knows to be zero: every hidden cell of a line whose hidden cells add
    up to zero (known total minus shown cells), repeated while that reveals more."""
    n_rows = len(table)
    n_cols = len(table[0]) if n_rows else 0
    if not any(hidden[i][j] and table[i][j] == 0 for i in range(n_rows) for j in range(n_cols)):
        return set()  # only a hidden zero can make a line of hidden cells add up to zero
    lines = _lines(n_rows, n_cols, row_totals, column_totals)
    revealed: set[Cell] = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            cells = [(i, j) for i, j in line if hidden[i][j] and (i, j) not in revealed]
            if cells and sum(table[i][j] for i, j in cells) == 0:
                revealed.update(cells)
                changed = True
    return revealed


def _component(start, edges: dict[Cell, tuple], skip: Cell) -> set:
    """The nodes reachable from ``start`` over the hidden cells other than ``skip``."""
    adjacency: dict = {}
    for cell, (a, b) in edges.items():
        if cell == skip:
            continue
        adjacency.setdefault(a, []).append(b)
        adjacency.setdefault(b, []).append(a)
    seen, todo = {start}, [start]
    while todo:
        for nxt in adjacency.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _edges(table, hidden, row_totals, column_totals, revealed) -> dict[Cell, tuple]:
    n_rows = len(table)
    n_cols = len(table[0]) if n_rows else 0
    row_node, col_node = _nodes(n_rows, n_cols, row_totals, column_totals)
    return {
        (i, j): (row_node(i), col_node(j))
        for i in range(n_rows)
        for j in range(n_cols)
        if hidden[i][j] and (i, j) not in revealed
    }


def _bridges(edges: dict[Cell, tuple]) -> list[tuple[Cell, tuple, tuple]]:
    """The bridges of the multigraph (Tarjan's low-link, iterative, O(V + E)); a pair of parallel
    edges is a cycle, so neither is a bridge. Sorted by cell."""
    adjacency: dict = {}
    for cell, (a, b) in edges.items():
        adjacency.setdefault(a, []).append((b, cell))
        adjacency.setdefault(b, []).append((a, cell))
    order: dict = {}
    low: dict = {}
    found: list[Cell] = []
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            step = next(neighbours, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(via)
                continue
            nxt, cell = step
            if cell == via:
                continue  # the edge we came in by (a parallel edge has another cell)
            if nxt in order:
                low[node] = min(low[node], order[nxt])
            else:
                order[nxt] = low[nxt] = len(order)
                stack.append((nxt, cell, iter(adjacency[nxt])))
    return [(cell, *edges[cell]) for cell in sorted(found)]


def derivable(
    table: Sequence[Sequence[int]],
    hidden: Sequence[Sequence[bool]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> list[Cell]:
    """The hidden cells whose value follows exactly from the known totals and the shown cells:
    the known zeros, and the cells that the linear equations then fix."""
    revealed = known_zeros(table, hidden, row_totals=row_totals, column_totals=column_totals)
    edges = _edges(table, hidden, row_totals, column_totals, revealed)
    return sorted(revealed | {cell for cell, _a, _b in _bridges(edges)})


def protect(
    table: Sequence[Sequence[int]],
    *,
    threshold: int = 5,
    row_totals: bool = True,
    column_totals: bool = True,
) -> list[list[bool]]:
    """Which cells of ``table`` (a rectangle of non-negative counts) to hide: every count from 1 to
    ``threshold - 1``, plus others (greedily, smallest non-zero first) until no hidden cell follows
    from the known totals (see the module docstring for which totals count as known). Where even
    hiding everything leaves a cell derivable (the known totals themselves give it away, e.g. one
    non-zero cell in a table whose other rows and columns add up to zero), that is as far as
    hiding can go."""
    n_rows = len(table)
    n_cols = len(table[0]) if n_rows else 0
    hidden = [[0 < table[i][j] < threshold for j in range(n_cols)] for i in range(n_rows)]
    row_node, col_node = _nodes(n_rows, n_cols, row_totals, column_totals)
    lines = _lines(n_rows, n_cols, row_totals, column_totals)

    def cost(cell: Cell):
        value = table[cell[0]][cell[1]]
        return (value == 0, value, cell)  # smallest non-zero first, a zero only as a last resort

    while True:
        revealed = known_zeros(table, hidden, row_totals=row_totals, column_totals=column_totals)
        shown = [(i, j) for i in range(n_rows) for j in range(n_cols) if not hidden[i][j]]
        if revealed:
            # a line whose hidden cells add up to zero: hide a non-zero cell of that line too
            lines_of = [line for line in lines if any(c in revealed for c in line)]
            options = [c for line in lines_of for c in line if c in shown and table[c[0]][c[1]] > 0]
            if options:
                i, j = min(options, key=cost)
                hidden[i][j] = True
                continue
        edges = _edges(table, hidden, row_totals, column_totals, revealed)
        bridges = _bridges(edges)
        if not bridges or not shown:
            return hidden
        cell, a, b = bridges[0]
        side_a, side_b = _component(a, edges, skip=cell), _component(b, edges, skip=cell)
        # best: a cell that closes a cycle through the bridge (its row on one side, its column
        # on the other); next: one in the bridge's own row or column (grows the structure)
        closing = [
            c
            for c in shown
            if (row_node(c[0]) in side_a and col_node(c[1]) in side_b)
            or (row_node(c[0]) in side_b and col_node(c[1]) in side_a)
        ]
        adjacent = [c for c in shown if c[0] == cell[0] or c[1] == cell[1]]
        nonzero = [c for c in closing + adjacent if table[c[0]][c[1]] > 0]
        i, j = min([c for c in closing if c in nonzero] or nonzero or closing or adjacent or shown, key=cost)
        hidden[i][j] = True


def protect_counts(values: Sequence[int], *, threshold: int = 5) -> list[bool]:
    """One series of counts whose total is known (a bar chart per category): which to hide."""
    mask = protect([[v] for v in values], threshold=threshold, row_totals=False, column_totals=True)
    return [row[0] for row in mask]
