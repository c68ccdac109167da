"""What the dashboard's cache holds: the coalition of a date window and what is derived from it.

Data sit below the views: the modules here read no request and build no
component; :mod:`dashboard.data` keeps their objects, and the views and pages
use them.

- :mod:`~dashboard.model.network` — the coalition graph as arrays
  (:class:`~dashboard.model.network.NetworkIndex`) and the network page's
  filters, with their networkx reference;
- :mod:`~dashboard.model.positions` — seeded node positions;
- :mod:`~dashboard.model.movements` — ties within and across movements;
- :mod:`~dashboard.model.whatif` — what breaks when groups leave;
- :mod:`~dashboard.model.trends` — the coalition period by period, measured in
  the background with its progress;
- :mod:`~dashboard.model.bridges` — fragile movement links and introductions, ordered;
- :mod:`~dashboard.model.snapshot` — one date window with all of the above,
  each computed once, in the background, from ties banded by the small-count
  rule of :mod:`graph.privacy`.
"""
