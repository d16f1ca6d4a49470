"""``checkin serve``: build the dependencies once and run the app over HTTP or Socket Mode."""

from __future__ import annotations

import logging

from bot.deps import Deps, make_client
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_deps(settings: Settings) -> Deps:
    """Load the configuration, open the (current) database and sync the configuration into it."""
    from bot.cli.main import load_settings_config, open_database
    from summaries.store.catalog import sync_config
    from summaries.store.db import session_factory, unit_of_work

    config = load_settings_config(settings)
    engine = open_database(settings)
    from sqlalchemy.exc import IntegrityError

    try:
        with unit_of_work(session_factory(engine)) as session:
            sync_config(session, config)
    except IntegrityError:  # another process (a replica, a second command) synced it first
        with unit_of_work(session_factory(engine)) as session:
            sync_config(session, config)
    return Deps(settings, config, engine, make_client(settings))


def run(settings: Settings, *, host: str, port: int, socket_mode: bool,
        scheduler: bool = True) -> None:
    """Serve until interrupted; run the cycle's scheduler too unless ``scheduler`` is False."""
    from bot.app import create_app
    from bot.cycle.scheduler import CycleScheduler
    from bot.server import make_wsgi, serve_forever, start_server

    deps = build_deps(settings)
    app = create_app(deps)
    wsgi = make_wsgi(app, deps)
    cycle = CycleScheduler(deps) if scheduler else None
    if cycle is None:
        log.info("scheduler off (--no-scheduler): cycle steps run only by hand")
    else:
        cycle.start()  # logs whether this process leads or stands by
    try:
        if not socket_mode:
            serve_forever(wsgi, host, port)
            return
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        health = start_server(wsgi, host, port)  # /healthz still answers for probes
        log.info("Socket Mode; health checks on %s/healthz", health.url)
        SocketModeHandler(app, settings.slack_app_token, web_client=deps.client).start()
    finally:
        if cycle is not None:
            cycle.stop()
        deps.close()
