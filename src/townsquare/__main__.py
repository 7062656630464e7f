"""`python -m townsquare` is the `townsquare` command."""

from townsquare.cli import app

app(prog_name="townsquare")
