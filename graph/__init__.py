"""The foundation of Coalition Graph Explorer.

Schema constants, the store connection and the embedded store, reading the
store into networkx, and every metric. This package imports nothing else of
ours.
"""
