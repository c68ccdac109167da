"""The fast backend behind :mod:`graph.metrics`: NumPy, SciPy and igraph. Private.

The metric functions with ``backend="fast"`` convert the networkx graph into
:class:`~graph._fast.arrays.Arrays` (a compact numeric copy with a stable node
order) and hand it to the kernels below. Each kernel computes exactly what the
networkx reference beside its metric computes (``backend="networkx"``); the
tests run both and compare them. A caller that runs several metrics on one
graph passes the converted arrays down explicitly (``arrays=``); nothing here
keeps state between calls.

==============  ==========================================================
module          kernels
==============  ==========================================================
``arrays``      :class:`Arrays` (the graph as a CSR matrix, edges,
                components, its igraph twin) and :func:`arrays_for`
``traversals``  betweenness and closeness jobs, split into shares that run
                in a standard process pool (``spawn``) when the graph is
                large; each share reports its worker's peak memory
``searches``    Brandes' algorithm as sparse-matrix products, 64 sources at
                a time (igraph's for graphs of large diameter), and the
                bit-parallel breadth-first search behind closeness
``spectral``    PageRank (networkx's SciPy iteration on our matrix) and
                the per-component Perron vector (LAPACK / ARPACK)
``triangles``   one listing of the triangles: structural holes, brokerage
``movements``   participation coefficient and E-I index over movement codes
``communities`` igraph's multilevel (Louvain), seeded; modularity
``cuts``        articulation points, components of what is kept, what-if
==============  ==========================================================
"""
