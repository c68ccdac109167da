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

    On a pseudonymised store the person is found by their pseudonym.

    Example:

    \b
        coalition erase-member M00042
    """
    from graph.privacy import erase_member as erase
    from loaders.pseudonym import existing_pseudonym_key, pseudonymize

    config = store_config(ctx)
    candidates = [member_id]
    key = existing_pseudonym_key(config.home)
    if key is not None:  # a pseudonymised store knows the person only by the pseudonym
        candidates.append(pseudonymize(member_id, key))
    with open_store(ctx) as st:
        n = erase(st, candidates, home=config.home)
    if n == 0:
        raise CoalitionError(f"no member {member_id!r} in the store")
    out.print(f"erased member {member_id!r}")
