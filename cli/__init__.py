"""``coalition``, the command line: a thin layer over graph, loaders and dashboard.

:mod:`cli.main` is the entry point and assembles the commands; each module holds
one group of them (:mod:`cli.store`, :mod:`cli.data`, :mod:`cli.analysis`,
:mod:`cli.privacy`, :mod:`cli.serve`), and :mod:`cli.options` what they share.
"""
