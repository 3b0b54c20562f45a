"""`marsad alerts`: manage and test alert rules."""

from __future__ import annotations

import click


@click.group("alerts")
def alerts_group() -> None:
    """Alert rules: webhooks fired the moment a matching event arrives."""
