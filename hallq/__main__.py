"""`python -m hallq`."""

from hallq.cli import main

main()
