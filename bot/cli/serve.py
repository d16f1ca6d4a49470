"""``checkin serve``: build the dependencies once and run the app over HTTP or Socket Mode."""

from __future__ import annotations

import argparse
import logging

from bot.cli.base import EXIT_OK, CommandError
from bot.settings import Settings
from summaries.i18n import _, speaking

log = logging.getLogger(__name__)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``serve`` command."""
    serve = commands.add_parser("serve", help=_("run the bot: Slack requests over HTTP "
                                                "(or Socket Mode), /healthz and /metrics"))
    serve.add_argument("--port", type=int, help=_("HTTP port (default: $PORT or 3000)"))
    serve.add_argument("--host", default="0.0.0.0",
                       help=_("address to listen on (default: all)"))
    serve.add_argument("--socket-mode", action="store_true",
                       help=_("receive Slack requests over Socket Mode ($SLACK_APP_TOKEN)"))
    serve.add_argument("--no-scheduler", action="store_true",
                       help=_("do not run the cycle's steps on schedule (another process "
                              "does)"))
    serve.set_defaults(handler=run_serve, serving=True)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.slack_signing_secret:
        raise CommandError(_("SLACK_SIGNING_SECRET is not set: the bot cannot verify "
                             "Slack's requests, so it will not start"))
    if not settings.slack_bot_token:
        raise CommandError(_("SLACK_BOT_TOKEN is not set"))
    if args.socket_mode and not settings.slack_app_token:
        raise CommandError(_("--socket-mode needs SLACK_APP_TOKEN (an app-level xapp- token)"))
    # The bot speaks to each reader in their own language, never in the command line's.
    with speaking(None):
        run(settings, host=args.host, port=args.port or settings.port,
            socket_mode=args.socket_mode, scheduler=not args.no_scheduler)
    return EXIT_OK


def run(settings: Settings, *, host: str, port: int, socket_mode: bool,
        scheduler: bool = True) -> None:
    """Serve until interrupted; run the cycle's scheduler too unless ``scheduler`` is False."""
    from bot.app import create_app
    from bot.bootstrap import start
    from bot.cycle.scheduler import CycleScheduler
    from bot.reload import ConfigReloader
    from bot.server import make_wsgi, serve_forever, start_server

    deps = start(settings)
    reloader = ConfigReloader(deps, settings.config_path)
    reloader.start()  # a changed file (or SIGHUP) is in force for the next request and step
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
        reloader.stop()
        deps.close()
