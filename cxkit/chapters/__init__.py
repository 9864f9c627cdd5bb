"""One module per chapter: gathers the client's data, calls the domain modules, and
returns the safe HTML sections its notebook shows. No arithmetic lives here."""
