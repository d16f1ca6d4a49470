"""users.info on the stand-in: a person's time zone and locale as the test sets them; an id no
workspace member could have is user_not_found."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slackstandin import SlackStandIn


def test_users_info_answers_the_zone_set_for_each_person(standin: SlackStandIn,
                                                         client: WebClient) -> None:
    standin.set_timezone("U0BER", "Europe/Berlin")
    standin.set_timezone("U0SHA", "Asia/Shanghai")
    berlin = client.users_info(user="U0BER")["user"]
    assert (berlin["id"], berlin["tz"]) == ("U0BER", "Europe/Berlin")
    assert berlin["tz_offset"] in (3600, 7200)  # winter or summer
    assert client.users_info(user="U0SHA")["user"]["tz_offset"] == 8 * 3600
    with pytest.raises(SlackApiError) as failed:
        client.users_info(user="nobody")
    assert failed.value.response["error"] == "user_not_found"


def test_users_info_tells_the_locale_only_when_asked(standin: SlackStandIn,
                                                     client: WebClient) -> None:
    standin.set_locale("U0ZH", "zh-CN")
    assert "locale" not in client.users_info(user="U0ZH")["user"]
    assert client.users_info(user="U0ZH", include_locale=True)["user"]["locale"] == "zh-CN"
    someone = client.users_info(user="U0EN", include_locale=True)["user"]
    assert someone["locale"] == "en-US"
    assert "tz" not in someone
