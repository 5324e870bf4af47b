"""The `zerowaste` command line (Typer), one command group per capability."""
