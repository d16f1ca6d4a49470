"""Slack listeners, one module per surface, each with ``register(app, deps)``: actions (the
check-in buttons), asks (what leaders do to an ask of leadership), views, events, commands."""
