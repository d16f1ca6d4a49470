"""The asks carried over from earlier months in the prompt, the form and the confirmation:
shortened, escaped, with age and last reply, within Slack's limits; and the form's state."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from bot.blocks.carried import FORM_ASK_BLOCKS, ask_text, carried_lines, form_asks, prompt_asks
from bot.blocks.common import MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS, block_chars
from bot.blocks.messages import prompt_message
from bot.blocks.modal import checkin_view, restore_view
from bot.blocks.reminders import Due, reminder_message
from bot.form.state import carry_choices, check_values, locate_step, read_state, split_steps
from bot.ids import CARRY_BLOCK, CARRY_UPDATE_BLOCK, FormRef
from summaries.checkins.forms import CARRY, CARRY_NOTE, Carried, FormContext, KpiHint
from summaries.checkins.lacking import Lacking
from summaries.config.schema import Config
from summaries.digest.askwords import CUT_NOTE
from summaries.engine.asks import Ask, AskAction, AskState, Event
from summaries.periods import Month
from tests.slackstandin import check_message, check_view

OCTOBER = Month.parse("2026-10")
RAISED = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)
REPLIED = datetime(2026, 10, 3, 3, 0, tzinfo=UTC)


def ask(text: str, number: int = 1, reply: str | None = None, period: str = "2026-09") -> Ask:
    history = [Event(AskAction.RAISE, "U0EAST", RAISED, None, AskState.OPEN, text)]
    state = AskState.OPEN
    if reply is not None:
        state = AskState.ACKNOWLEDGED
        history.append(Event(AskAction.REPLY, "U0CEO", REPLIED, AskState.OPEN, state, reply))
    return Ask("east-county", "Problems and requests", text, f"problems:{text}", number,
               period, state, history=tuple(history))


def test_the_carried_ids_are_the_forms_field_kinds() -> None:
    assert (CARRY_BLOCK, CARRY_UPDATE_BLOCK) == (CARRY, CARRY_NOTE)


def test_an_ask_is_escaped_with_its_age_and_the_leader_named() -> None:
    text = ask_text(ask("Vans for the <!channel> crew & co", reply="Ask <@U0OPS> <b>"),
                    OCTOBER)
    assert "*Vans for the &lt;!channel&gt; crew &amp; co*" in text
    assert "waiting 1 month" in text
    assert "Reply from <@U0CEO> (Oct 3" in text
    assert "Ask &lt;@U0OPS&gt; &lt;b&gt;" in text
    assert "<!channel>" not in text
    assert "\ue000" not in text
    assert "No reply from leadership yet." in ask_text(ask("Vans"), OCTOBER)


def test_a_long_ask_is_shortened_at_a_word_and_says_so() -> None:
    words = " ".join(["installers"] * 100)
    text = ask_text(ask(words, reply="ok " * 400), OCTOBER)
    first = text.splitlines()[0]
    assert first.endswith(f"\u2026* _{CUT_NOTE}_")
    assert "installers installers\u2026" in first
    assert len(text) < 1000


def test_chinese_text_is_kept_and_shortened_inside_its_run() -> None:
    chinese = "需要增加两名安装工人以处理北部村庄的光纤积压" * 20
    text = ask_text(ask(chinese, reply="同意\uff0c十一月起增加人手。"), OCTOBER)
    assert text.startswith("*需要增加两名安装工人")
    assert CUT_NOTE in text
    assert "同意\uff0c十一月起增加人手。" in text


def test_the_prompt_lists_the_open_asks_within_one_message(config: Config) -> None:
    spec = config.department_by_key["east-county"]
    many = [ask(f"Ask number {n} " + "words " * 50, n, reply="We look at it " * 30)
            for n in range(1, 101)]
    message = prompt_message(spec, "2026-10", "October 2026", sections_count=8,
                             kpis_count=2, deadline="Nov 4", deadline_text="Nov 4",
                             carried=many)
    assert check_message(message) == []
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert sum(block_chars(b) for b in message["blocks"]) < 12_000
    assert "more open asks not shown here" in str(message["blocks"])
    assert "100 asks of leadership" in message["text"]
    bare = prompt_message(spec, "2026-10", "October 2026", sections_count=8, kpis_count=2,
                          deadline="Nov 4", deadline_text="Nov 4")
    assert "earlier months" not in str(bare)
    assert prompt_asks([], OCTOBER) == []


def test_a_reminder_counts_the_open_asks(config: Config) -> None:
    spec = config.department_by_key["east-county"]
    due = Due(datetime(2026, 11, 4, 10, tzinfo=UTC), datetime(2026, 11, 2, 2, tzinfo=UTC), "UTC")
    lacking = Lacking(1, 8, 0, 2)
    one = reminder_message(spec, "2026-10", "October 2026", due=due, lacking=lacking,
                           last=False, asks=1)
    assert "1 of your asks of leadership is still open" in str(one["blocks"])
    assert "asks of leadership" not in str(reminder_message(
        spec, "2026-10", "October 2026", due=due, lacking=lacking, last=False)["blocks"])


def form(config: Config, department: str, carried: list[Ask],
         values: dict[str, str] | None = None) -> FormContext:
    spec = config.department_by_key[department]
    kpis = tuple(k for k in config.kpis_of(spec) if not k.formula)
    hints = {k.key: KpiHint("2026-09", Decimal(1), None) for k in kpis}
    return FormContext(OCTOBER, spec, tuple(config.sections_of(spec)), kpis, values or {},
                       "draft", None, hints, tuple(carried))


def test_the_form_shows_each_ask_after_the_raising_section_with_its_choices(
        config: Config) -> None:
    ctx = form(config, "east-county", [ask("Vans", 7, reply="Soon")],
               {"carry:7": "withdraw", "carryupdate:7": "Bought one"})
    steps = split_steps(ctx.fields)
    view = checkin_view(ctx, FormRef("2026-10", "east-county", 0, 1), steps)
    assert check_view(view) == []
    ids = [b.get("block_id") for b in view["blocks"]]
    at = ids.index("section:problems")
    assert ids[at + 2:at + 5] == [None, "carry:7", "carryupdate:7"]
    choice, update = view["blocks"][at + 3], view["blocks"][at + 4]
    assert choice["optional"]
    assert update["optional"]
    assert choice["element"]["initial_option"]["value"] == "withdraw"
    assert update["element"]["initial_value"] == "Bought one"
    # The step is found from the section and KPI inputs alone.
    assert locate_step(FormRef("2026-10", "east-county"), ctx.fields, ids_of(view)) is not None


def ids_of(view: dict[str, object]) -> list[str]:
    blocks = view["blocks"]
    assert isinstance(blocks, list)
    return [b["block_id"] for b in blocks if b["type"] == "input"]


def test_many_asks_fit_in_a_modal_with_the_rest_counted(config: Config) -> None:
    many = [ask(f"Ask {n}", n) for n in range(1, 61)]
    ctx = form(config, "key-accounts", many)
    steps = split_steps(ctx.fields)
    for step in range(len(steps)):
        view = checkin_view(ctx, FormRef("2026-10", "key-accounts", step, len(steps)), steps)
        assert check_view(view) == []
        assert len(view["blocks"]) < MAX_VIEW_BLOCKS  # room for restore_view's note
        restored = restore_view(view, {"carry:1": "withdraw"}, "Try again")
        assert len(restored["blocks"]) <= MAX_VIEW_BLOCKS
        assert restored["blocks"][-1] == view["blocks"][-1]  # nothing cut
    shown = form_asks(many, OCTOBER, {}, 30)
    assert len(shown) <= 30
    assert (len(shown) - 2) // FORM_ASK_BLOCKS == 9
    assert "51 more open asks" in str(shown[-1])
    assert form_asks(many, OCTOBER, {}, 3) == []


def test_the_asks_go_on_the_last_step_when_no_section_raises(config: Config) -> None:
    ctx = form(config, "east-county", [ask("Vans", 7)])
    ctx = replace(ctx, sections=tuple(s for s in ctx.sections if not s.raises))
    steps = split_steps(ctx.fields, 3)
    last = len(steps) - 1
    views = [checkin_view(ctx, FormRef("2026-10", "east-county", n, len(steps)), steps)
             for n in range(len(steps))]
    assert ["carry:7" in ids_of(v) for v in views] == [n == last for n in range(len(steps))]


def test_restored_view_keeps_the_choice_and_the_update(config: Config) -> None:
    ctx = form(config, "east-county", [ask("Vans", 7)])
    view = checkin_view(ctx, FormRef("2026-10", "east-county", 0, 1), split_steps(ctx.fields))
    restored = restore_view(view, {"carry:7": "withdraw", "carryupdate:7": "News"}, "Again")
    assert check_view(restored) == []
    blocks = {b.get("block_id"): b for b in restored["blocks"]}
    assert blocks["carry:7"]["element"]["initial_option"]["value"] == "withdraw"
    assert blocks["carryupdate:7"]["element"]["initial_value"] == "News"
    cleared = restore_view(view, {"carry:7": None}, "Again")
    assert "initial_option" not in {b.get("block_id"): b for b in cleared["blocks"]}[
        "carry:7"]["element"]


def test_state_reads_the_choice_and_the_update_and_checks_only_the_update() -> None:
    view = {"state": {"values": {
        "carry:7": {"carry_choice": {"type": "static_select",
                                     "selected_option": {"value": "withdraw"}}},
        "carry:8": {"carry_choice": {"type": "static_select", "selected_option": None}},
        "carryupdate:8": {"carry_update": {"type": "plain_text_input", "value": " News "}},
        "carryupdate:9": {"carry_update": {"type": "plain_text_input", "value": ""}},
    }}}
    typed = read_state(view)
    assert typed == {"carry:7": "withdraw", "carry:8": None, "carryupdate:8": " News ",
                     "carryupdate:9": None}
    assert carry_choices({**typed, "carry:x": "withdraw", "section:sales": "Fine"}) == {
        7: (True, None), 8: (False, "News")}


def test_a_too_long_update_is_an_error_under_its_field(config: Config) -> None:
    checked = check_values(config, "east-county", {"carryupdate:8": "x" * 3001,
                                                   "carry:8": "withdraw"},
                           ["carry:8", "carryupdate:8"])
    assert list(checked.errors) == ["carryupdate:8"]
    assert (checked.answers, checked.figures) == ({}, {})


def test_the_confirmation_says_what_became_of_each_ask() -> None:
    van, permit, tower = ask("Van <b>", 1), ask("Permit", 2), ask("Tower", 3)
    lines = carried_lines([
        Carried(replace(van, state=AskState.WITHDRAWN), withdrawn=True, updated=True),
        Carried(permit, updated=True),
        Carried(replace(tower, state=AskState.DECIDED), ended=True)])
    assert lines == ["\u2022 *Van &lt;b&gt;*: withdrawn (with your update)",
                     "\u2022 *Permit*: your update was added",
                     "\u2022 *Tower*: already decided, so nothing was changed"]
