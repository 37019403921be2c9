"""See the package docstring of casekit."""
