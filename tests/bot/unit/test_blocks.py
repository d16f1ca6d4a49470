"""Block Kit builders: escaping, packing, limits, the modal's inputs and hints."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.common import (
    MAX_MESSAGE_CHARS,
    block_chars,
    escape,
    pack_lines,
    split_message,
)
from bot.blocks.figures import kpi_input
from bot.blocks.modal import checkin_view, restore_view
from bot.form.state import split_steps
from bot.ids import PASTE_BLOCK, FormRef
from bot.notices import follow_api_url
from summaries.checkins.forms import FormContext, KpiHint
from summaries.config.schema import Config
from summaries.periods import Month
from tests.slackstandin import check_message, check_view


def test_escape_neutralises_mentions_and_links() -> None:
    assert escape("<!channel> & <@U123> <https://x|y>") == \
        "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x|y&gt;"


@given(st.lists(st.text(max_size=4000), max_size=30), st.integers(min_value=50, max_value=3000))
def test_packing_keeps_every_character_within_the_limit(lines: list[str], limit: int) -> None:
    texts = pack_lines(lines, limit)
    assert all(0 < len(t) <= limit for t in texts)
    assert "".join(texts).replace("\n", "") == "".join(lines).replace("\n", "")


def test_a_long_line_splits_at_a_space_and_never_inside_an_escape_or_a_mention() -> None:
    line = escape("R&D <@U123> " * 400)
    texts = pack_lines([line], 3000)
    assert "".join(texts) == line
    assert all(text.endswith(" ") for text in texts[:-1])
    for text in texts:  # whole escapes only: no stray "&" or ";" once they are taken out
        assert not re.search(r"[&;]", re.sub(r"&(?:amp|lt|gt);", "", text))
    mention = " ".join(["<@U0ABCDEF1>"] * 600)
    assert all(re.fullmatch(r"(<@U0ABCDEF1> ?)+", t) for t in pack_lines([mention], 1000))


def test_messages_split_by_size_as_well_as_by_block_count() -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}
              for _ in range(10)]
    messages = split_message("Summary", blocks)
    assert [len(m["blocks"]) for m in messages] == [4, 4, 2]
    assert all(sum(block_chars(b) for b in m["blocks"]) <= MAX_MESSAGE_CHARS for m in messages)


def test_long_messages_split_into_several_valid_messages() -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"line {n}"}}
              for n in range(120)]
    messages = split_message("Summary", blocks)
    assert [len(m["blocks"]) for m in messages] == [50, 50, 20]
    assert all(check_message(m) == [] for m in messages)
    assert messages[1]["text"] == "Summary (continued)"


def form(config: Config, values: dict[str, str] | None = None) -> FormContext:
    spec = config.department_by_key["key-accounts"]
    kpis = tuple(k for k in config.kpis_of(spec) if not k.formula)
    hints = {k.key: KpiHint("2026-09", Decimal("5023"), Decimal("5250")) for k in kpis}
    return FormContext(Month.parse("2026-10"), spec, tuple(config.sections_of(spec)), kpis,
                       values or {}, "empty", None, hints)


def test_modal_has_an_input_per_section_and_kpi_and_passes_slacks_checks(
        config: Config) -> None:
    ctx = form(config, {"kpi:churn_rate": "1.09", "kpi:customers": "12.5"})
    steps = split_steps(ctx.fields)
    view = checkin_view(ctx, FormRef("2026-10", "key-accounts", 0, len(steps)), steps)
    assert check_view(view) == []
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    # The figures first, then the paste box, then the sections (SPEC 5.3).
    kpis = [f for f in ctx.fields if f.startswith("kpi:")]
    assert list(inputs) == [*kpis, PASTE_BLOCK, *ctx.fields[len(kpis):]]
    assert ctx.fields[:len(kpis)] == kpis
    churn = inputs["kpi:churn_rate"]["element"]
    # Text, so 4,993,120 and 499.31万 can be typed; the server reads and checks them.
    assert churn["type"] == "plain_text_input"
    assert churn["initial_value"] == "1.09"
    # What was typed comes back as typed, even what the server will refuse.
    assert inputs["kpi:customers"]["element"]["initial_value"] == "12.5"
    assert inputs["section:sales"]["optional"] is False
    assert inputs["section:market"]["hint"]["text"].startswith("Market capacity")


def test_kpi_hint_shows_last_month_and_target_with_units(config: Config) -> None:
    kpi = config.kpi_by_key["revenue"]
    block = kpi_input(kpi, None, KpiHint("2026-09", Decimal("5023"), Decimal("5250")),
                      Month.parse("2026-10"), "en")
    assert block["label"]["text"] == "Business income (CNY)"
    assert block["hint"]["text"] == \
        "Last month (September 2026): 5,023 CNY \u00b7 Target: 5,250 CNY"
    bare = kpi_input(kpi, None, KpiHint("2026-09", None, None), Month.parse("2026-10"), "de")
    assert bare["hint"]["text"] == "Last month (September 2026): none \u00b7 Target: none set"


def test_kpi_hint_shows_the_limit_or_floor_in_force_and_whether_it_is_required(
        config: Config) -> None:
    churn = config.kpi_by_key["churn_rate"]
    block = kpi_input(churn, None, KpiHint("2026-09", Decimal("2.1"), None, Decimal(3)),
                      Month.parse("2026-10"), "en", required=True)
    assert block["hint"]["text"] == \
        "Required \u00b7 Last month (September 2026): 2.10% \u00b7 Limit: 3.00%"
    recovery = config.kpi_by_key["arrears_recovery"]
    floor = kpi_input(recovery, "97,5", KpiHint("2026-09", None, Decimal(99), None, Decimal(98)),
                      Month.parse("2026-10"), "en")
    assert floor["hint"]["text"] == \
        "Last month (September 2026): none \u00b7 Target: 99.0% \u00b7 Floor: 98.0%"
    assert floor["element"]["initial_value"] == "97,5"


def test_restored_view_carries_what_was_typed(config: Config) -> None:
    ctx = form(config)
    steps = split_steps(ctx.fields)
    view = checkin_view(ctx, FormRef("2026-10", "key-accounts", 0, 1), steps)
    stored = {**view, "id": "V1", "hash": "h", "state": {}, "team_id": "T"}
    restored = restore_view(stored, {"section:sales": "Typed", "kpi:revenue": "12"}, "Try again")
    assert check_view(restored) == []
    assert "id" not in restored
    inputs = {b["block_id"]: b for b in restored["blocks"] if b["type"] == "input"}
    assert inputs["section:sales"]["element"]["initial_value"] == "Typed"
    assert inputs["kpi:revenue"]["element"]["initial_value"] == "12"


def test_response_urls_follow_the_api_url_only_off_slack() -> None:
    url = "https://hooks.slack.com/actions/T1/2/abc?x=1"
    assert follow_api_url(url, "https://slack.com/api/") == url
    assert follow_api_url(url, "http://127.0.0.1:9999/api/") == \
        "http://127.0.0.1:9999/actions/T1/2/abc?x=1"
