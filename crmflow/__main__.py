"""`python -m crmflow` runs the CLI."""

from crmflow.cli import main

main()
