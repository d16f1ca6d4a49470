"""The ``checkin`` command line: ``main`` and its parser, one module per command."""
