"""``python -m cxkit`` runs the command-line interface."""
from cxkit.cli import console

console()
