"""Component ids of the dashboard, in one place.

Pages and tests refer to components through these constants only. Ids are
prefixed by their page so that all pages can live in one validation layout.
"""

from __future__ import annotations

# -- shell ----------------------------------------------------------------------
SHELL_URL = "shell-url"
NAVBAR = "navbar"
#: Type of the timers in "still computing" messages (a pattern-matching id).
RETRY = "retry"

# -- overview ---------------------------------------------------------------------
OVERVIEW_URL = "overview-url"
OVERVIEW_SINCE = "overview-since"
OVERVIEW_UNTIL = "overview-until"
OVERVIEW_CONTENT = "overview-content"

# -- network ----------------------------------------------------------------------
NETWORK_URL = "network-url"
NETWORK_MOVEMENTS = "network-movements"
NETWORK_TIES = "network-ties"
NETWORK_MIN_WEIGHT = "network-min-weight"
NETWORK_SINCE = "network-since"
NETWORK_UNTIL = "network-until"
NETWORK_SEARCH = "network-search"
NETWORK_SIZE = "network-size"
NETWORK_FOCUS = "network-focus"
NETWORK_HOPS = "network-hops"
NETWORK_GRAPH = "network-graph"
NETWORK_STATUS = "network-status"
NETWORK_LEGEND = "network-legend"
NETWORK_DETAIL = "network-detail"
NETWORK_EGO_BUTTON = "network-ego-button"
NETWORK_CLEAR_FOCUS = "network-clear-focus"
NETWORK_VIEW = "network-view"
NETWORK_POINTS = "network-points"
NETWORK_CANVAS = "network-canvas"
NETWORK_NOTE = "network-note"
NETWORK_SELECTED = "network-selected"

# -- movements --------------------------------------------------------------------
MOVEMENTS_URL = "movements-url"
MOVEMENTS_TIE = "movements-tie"
MOVEMENTS_SINCE = "movements-since"
MOVEMENTS_UNTIL = "movements-until"
MOVEMENTS_HEATMAP = "movements-heatmap"
MOVEMENTS_STATUS = "movements-status"
MOVEMENTS_EI = "movements-ei"
MOVEMENTS_CELL = "movements-cell"
MOVEMENTS_GROUPS = "movements-groups"

# -- brokers ----------------------------------------------------------------------
BROKERS_URL = "brokers-url"
BROKERS_SINCE = "brokers-since"
BROKERS_UNTIL = "brokers-until"
BROKERS_GRID = "brokers-grid"
BROKERS_DOWNLOAD = "brokers-download"
BROKERS_STATUS = "brokers-status"
BROKERS_BRIDGING = "brokers-bridging"

# -- paths ------------------------------------------------------------------------
PATHS_URL = "paths-url"
PATHS_SOURCE = "paths-source"
PATHS_TARGET = "paths-target"
PATHS_SINCE = "paths-since"
PATHS_UNTIL = "paths-until"
PATHS_RESULT = "paths-result"

# -- what-if ----------------------------------------------------------------------
WHATIF_URL = "whatif-url"
WHATIF_REMOVE = "whatif-remove"
WHATIF_SINCE = "whatif-since"
WHATIF_UNTIL = "whatif-until"
WHATIF_RESULT = "whatif-result"
WHATIF_RANKING = "whatif-ranking"

# -- timeline ---------------------------------------------------------------------
TIMELINE_URL = "timeline-url"
TIMELINE_SINCE = "timeline-since"
TIMELINE_UNTIL = "timeline-until"
TIMELINE_PERIOD = "timeline-period"
TIMELINE_MOVEMENTS = "timeline-movements"
TIMELINE_CHART = "timeline-chart"
TIMELINE_STATUS = "timeline-status"
TIMELINE_SELECTED = "timeline-selected"
TIMELINE_ACTIONS = "timeline-actions"
TIMELINE_TRENDS = "timeline-trends"

# -- solidarity --------------------------------------------------------------------------
SOLIDARITY_URL = "solidarity-url"
SOLIDARITY_MOVEMENTS = "solidarity-movements"
SOLIDARITY_SINCE = "solidarity-since"
SOLIDARITY_UNTIL = "solidarity-until"
SOLIDARITY_HEADLINE = "solidarity-headline"
SOLIDARITY_CHART = "solidarity-chart"
SOLIDARITY_STATUS = "solidarity-status"
SOLIDARITY_CELL = "solidarity-cell"
SOLIDARITY_ITEMS = "solidarity-items"
SOLIDARITY_PAIRS = "solidarity-pairs"
SOLIDARITY_GIVERS = "solidarity-givers"
SOLIDARITY_RECEIVERS = "solidarity-receivers"

# -- trends ----------------------------------------------------------------------------
TRENDS_URL = "trends-url"
TRENDS_EVERY = "trends-every"
TRENDS_SINCE = "trends-since"
TRENDS_UNTIL = "trends-until"
TRENDS_GROUP = "trends-group"
TRENDS_STATUS = "trends-status"
TRENDS_SIZES = "trends-sizes"
TRENDS_SHARES = "trends-shares"
TRENDS_PAIRS = "trends-pairs"
TRENDS_CELL = "trends-cell"
TRENDS_CELL_GROUPS = "trends-cell-groups"
TRENDS_BROKERS = "trends-brokers"
TRENDS_CHANGES = "trends-changes"
TRENDS_AT_RISK = "trends-at-risk"

# -- bridges ------------------------------------------------------------------------------
BRIDGES_URL = "bridges-url"
BRIDGES_MOVEMENTS = "bridges-movements"
BRIDGES_SINCE = "bridges-since"
BRIDGES_UNTIL = "bridges-until"
BRIDGES_STATUS = "bridges-status"
BRIDGES_HEADLINE = "bridges-headline"
BRIDGES_FRAGILE = "bridges-fragile"
BRIDGES_APART = "bridges-apart"
BRIDGES_INTRODUCTIONS = "bridges-introductions"

# -- pictures (network page) --------------------------------------------------------------
NETWORK_SAVE_PNG = "network-save-png"
NETWORK_SAVE_SVG = "network-save-svg"

# -- the brief (overview page) -------------------------------------------------------------
OVERVIEW_BRIEF = "overview-brief"
OVERVIEW_BRIEF_DOWNLOAD = "overview-brief-download"
