"""``coalition erase-member``: remove a person everywhere."""

from __future__ import annotations

import click

from cli.options import friendly, open_store, out, store_config
from graph.errors import CoalitionError

__all__ = ["erase_member"]


@click.command("erase-member")
@click.argument("member_id")
@click.pass_context
@friendly
def erase_member(ctx, member_id):
    """Remove a person from the store and from every file written under COALITION_HOME.

    On a pseudonymised store the person is found by their pseudonym
    (graph.privacy.erase_member, the rule every caller obeys).

    Example:

    \b
        coalition erase-member M00042
    """
    from graph.privacy import erase_member as erase

    with open_store(ctx) as st:
        n = erase(st, member_id, home=store_config(ctx).home)
    if n == 0:
        raise CoalitionError(f"no member {member_id!r} in the store")
    out.print(f"erased member {member_id!r}")
