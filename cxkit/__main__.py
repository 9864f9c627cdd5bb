"""``python -m cxkit`` runs the command-line interface."""
from cxkit.cli import main

raise SystemExit(main())
