"""The Coalition Graph Explorer dashboard: a Dash multi-page app.

Build it with :func:`dashboard.app.create_app`; importing this package does no
work and touches no store.
"""
