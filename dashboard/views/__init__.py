"""Pure view functions, one module per page: data in, components, elements or figures out.

Nothing here reads the store, the request, the cache or the clock, and
nothing registers a callback, so every function can be tested on a small
hand-built coalition without a browser. The pages (:mod:`dashboard.pages`)
call them; the data come from :mod:`dashboard.data` and :mod:`dashboard.model`.

Per page: :mod:`~dashboard.views.overview`, :mod:`~dashboard.views.network`
(with its detail panel in :mod:`~dashboard.views.detail`),
:mod:`~dashboard.views.movements`, :mod:`~dashboard.views.brokers`,
:mod:`~dashboard.views.timeline`, :mod:`~dashboard.views.paths`,
:mod:`~dashboard.views.whatif`, :mod:`~dashboard.views.solidarity`,
:mod:`~dashboard.views.bridges`. Shared: :mod:`~dashboard.views.text` (numbers
and words), :mod:`~dashboard.views.styles` (palette, shapes, the network's
stylesheet and legend), :mod:`~dashboard.views.tables` (notices, tables,
dropdown options), :mod:`~dashboard.views.images` (the names and settings of
saved pictures).

Two rules hold for everything returned:

- **Members only as counts.** A member count under the threshold (5 by
  default) becomes the text ``"<5"`` before it leaves the server
  (:mod:`graph.privacy`); raw small counts are never put into
  element data, grid rows or figures.
- **Data are text, never HTML.** Dash components get data as children
  strings (React escapes them); Cytoscape draws labels on a canvas; Plotly,
  which understands a little HTML in its strings, gets data escaped with
  :func:`~dashboard.views.text.plotly_text`.
"""
