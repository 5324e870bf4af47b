"""Allow `python -m zerowaste`."""

from zerowaste.cli.main import main

main()
