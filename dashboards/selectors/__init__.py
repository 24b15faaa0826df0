"""The figures of the dashboards. Every figure counts only rows the viewer may see:
``vik.core.access.visible_q`` on the underlying rows (signals, measures, receivables, deadlines
through their measure), or the compartment-filtered rollup with small cells suppressed for the
management view. Nothing here returns a record; only labels and numbers.

The counts over other apps' rows (signals, measures, subjects) query their models, imported
(never looked up by name); Bibob figures and casustafel actions come only from those apps'
own selectors. See docs/architecture.md.

The package is split by sub-domain; every public name stays importable from here."""

from .analysis import (
    RECURRING_KINDS,
    displacement_hints,
    measures_taken,
    recurring_subjects,
    trend,
)
from .analysis import selection as analysis_selection
from .common import (
    AREA_COLUMNS,
    ZERO,
    DashFilters,
    Figure,
    Median,
    suppress_series,
    suppress_table,
    suppressed_marker,
    url_or_blank,
)
from .map import (
    busiest_first,
    buurt_counts,
    buurt_detail,
    buurt_outlines,
    latest_year,
    map_data,
    map_script_data,
    outlines_version,
    signal_points,
)
from .measures import (
    fig_afpak,
    fig_closures_active,
    fig_deadlines_due,
    fig_measures_and_closures,
    fig_measures_kind_state,
    measures_all_cleared,
    measures_visible,
)
from .panels import (
    FIGURES,
    PANEL_KEYS,
    PANELS,
    analyst_figures,
    figure_by_key,
    management_figures,
    measure_figures,
    partner_figures,
    rollup_rows,
    rollup_state,
    signal_figures,
)
from .partners import (
    fig_action_items,
    fig_bibob,
)
from .signals import (
    fig_lead_times,
    fig_signals_per_month,
    fig_signals_per_source,
    fig_signals_per_status,
    fig_signals_source_status,
    signals_visible,
)

__all__ = [
    "AREA_COLUMNS",
    "DashFilters",
    "FIGURES",
    "Figure",
    "Median",
    "PANELS",
    "PANEL_KEYS",
    "RECURRING_KINDS",
    "ZERO",
    "analysis_selection",
    "analyst_figures",
    "busiest_first",
    "buurt_counts",
    "buurt_detail",
    "buurt_outlines",
    "displacement_hints",
    "fig_action_items",
    "fig_afpak",
    "fig_bibob",
    "fig_closures_active",
    "fig_deadlines_due",
    "fig_lead_times",
    "fig_measures_and_closures",
    "fig_measures_kind_state",
    "fig_signals_per_month",
    "fig_signals_per_source",
    "fig_signals_per_status",
    "fig_signals_source_status",
    "figure_by_key",
    "latest_year",
    "management_figures",
    "map_data",
    "map_script_data",
    "measure_figures",
    "measures_all_cleared",
    "measures_taken",
    "measures_visible",
    "outlines_version",
    "partner_figures",
    "recurring_subjects",
    "rollup_rows",
    "rollup_state",
    "signal_figures",
    "signal_points",
    "signals_visible",
    "suppress_series",
    "suppress_table",
    "suppressed_marker",
    "trend",
    "url_or_blank",
]
