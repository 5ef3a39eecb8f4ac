"""Plain-Python operations shared by the web, the CLI and the mailers."""
