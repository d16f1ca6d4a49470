"""A Slack stand-in for tests: a loopback Web API server, Block Kit checks and a request driver."""

from tests.slackstandin.blockkit import check_blocks, check_element, check_message, check_view
from tests.slackstandin.driver import Reply, SlackDriver, latest_view, sign
from tests.slackstandin.server import Call, SlackStandIn
from tests.slackstandin.viewresponse import check_view_response, input_block_ids
from tests.slackstandin.webapi import SlackError, dm_channel

__all__ = [
    "Call",
    "Reply",
    "SlackDriver",
    "SlackError",
    "SlackStandIn",
    "check_blocks",
    "check_element",
    "check_message",
    "check_view",
    "check_view_response",
    "dm_channel",
    "input_block_ids",
    "latest_view",
    "sign",
]
