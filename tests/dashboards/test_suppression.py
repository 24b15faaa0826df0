"""Complementary small-cell suppression (dashboards.suppression): for any table, no hidden cell
follows from the known totals and the shown cells. Checked against plain linear algebra (exact
fractions), independent of the graph reasoning the implementation uses."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.suppression import derivable, protect, protect_counts


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows]
    rank, n_cols = 0, len(rows[0]) if rows else 0
    for col in range(n_cols):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _known_lines(n_rows, n_cols, row_totals, column_totals):
    lines = [[(i, j) for i in range(n_rows) for j in range(n_cols)]]  # the grand total
    if row_totals and n_cols > 1:
        lines += [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    if column_totals and n_rows > 1:
        lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return lines


def solvable_cells(table, hidden, *, row_totals, column_totals) -> set[tuple[int, int]]:
    """The hidden cells that the reader can compute. A line whose hidden cells must add up to
    zero (known total minus shown cells) makes them all zero (counts are not negative); then a
    cell follows when its unit vector lies in the row space of the equations "known total -
    shown cells = sum of hidden cells"."""
    n_rows, n_cols = len(table), len(table[0])
    lines = _known_lines(n_rows, n_cols, row_totals, column_totals)
    unknown = {(i, j) for i in range(n_rows) for j in range(n_cols) if hidden[i][j]}
    zeros: set = set()
    while True:
        more = {
            c
            for line in lines
            if sum(table[i][j] for i, j in line if (i, j) in unknown - zeros) == 0
            for c in line
            if c in unknown - zeros
        }
        if not more:
            break
        zeros |= more
    unknowns = sorted(unknown - zeros)
    if not unknowns:
        return zeros
    index = {cell: k for k, cell in enumerate(unknowns)}
    equations = []
    for line in lines:
        eq = [Fraction(0)] * len(unknowns)
        for cell in line:
            if cell in index:
                eq[index[cell]] = Fraction(1)
        equations.append(eq)
    base = _rank(equations)
    solved = set(zeros)
    for cell, k in index.items():
        unit = [Fraction(int(m == k)) for m in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            solved.add(cell)
    return solved


@st.composite
def tables(draw):
    row_totals, column_totals = draw(st.booleans()), draw(st.booleans())
    n_rows = draw(st.integers(1, 6))
    n_cols = draw(st.integers(1, 6))
    if n_rows * n_cols == 1:  # a single cell is its own total: nothing can protect it
        n_cols = 2
    cell = st.one_of(st.integers(0, 8), st.integers(0, 60))
    table = draw(st.lists(st.lists(cell, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows))
    return table, row_totals, column_totals


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_cell_follows_from_the_totals_and_the_shown_cells(case):
    """Nothing hidden can be worked back, unless the known totals give it away whatever is hidden
    (e.g. one non-zero cell whose other rows and columns add up to zero)."""
    table, row_totals, column_totals = case
    kw = {"row_totals": row_totals, "column_totals": column_totals}
    hidden = protect(table, **kw)
    for i, row in enumerate(table):
        for j, v in enumerate(row):
            if 0 < v < 5:
                assert hidden[i][j], "every count from 1 to 4 is hidden"
    everything = [[True] * len(row) for row in table]
    unavoidable = solvable_cells(table, everything, **kw)
    assert solvable_cells(table, hidden, **kw) <= unavoidable
    small = {(i, j) for i, row in enumerate(table) for j, v in enumerate(row) if 0 < v < 5}
    if not unavoidable & small:
        assert not solvable_cells(table, hidden, **kw) & small, "no small count can be worked back"


@settings(max_examples=200, deadline=None)
@given(tables())
def test_the_graph_check_agrees_with_linear_algebra_for_any_hiding(case):
    """The bridge test in ``derivable`` is exact: same answer as the rank test, for any mask."""
    table, row_totals, column_totals = case
    mask = [[(i * 7 + j * 3 + v) % 3 == 0 for j, v in enumerate(row)] for i, row in enumerate(table)]
    kw = {"row_totals": row_totals, "column_totals": column_totals}
    assert set(derivable(table, mask, **kw)) == solvable_cells(table, mask, **kw)


def test_a_hidden_zero_is_not_a_hiding_place_when_its_line_adds_up_to_zero():
    """Row 2 of [[3, 9], [0, 0]] is all zeros: hiding its cells hides nothing."""
    table = [[3, 9, 20], [0, 0, 8], [6, 7, 9]]
    hidden = protect(table)
    assert derivable(table, hidden) == []
    assert not hidden[1][0] or not hidden[1][1] or hidden[1][2]


def test_one_small_source_next_to_a_known_total_hides_a_second_source():
    """The finding: 'per source' hid MMA (3) but showed police (9); 'per status' showed the total
    (12), so MMA = 12 - 9. Now the smallest other source is hidden too."""
    assert protect_counts([9, 3]) == [True, True]
    assert protect_counts([40, 3, 7, 12]) == [False, True, True, False]
    assert protect_counts([40, 7, 12]) == [False, False, False]
    assert protect_counts([0, 3, 0, 20]) == [False, True, False, True]  # a non-zero complement


def test_two_by_two_with_margins_needs_a_cycle():
    table = [[3, 10], [10, 10]]
    hidden = protect(table)
    assert sum(map(sum, hidden)) == 4  # a lone small cell in a 2x2 with margins: all four
    table = [[3, 10, 50], [10, 10, 50], [20, 30, 40]]
    hidden = protect(table)
    assert hidden == [[True, True, False], [True, True, False], [False, False, False]]


def test_complements_prefer_small_non_zero_cells():
    hidden = protect([[2, 0, 6, 100], [7, 0, 9, 100]], row_totals=True, column_totals=True)
    assert hidden == [[True, False, True, False], [True, False, True, False]]
