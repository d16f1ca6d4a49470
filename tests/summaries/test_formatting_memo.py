"""Numbers formatted while a digest is built are kept for that digest only."""

from __future__ import annotations

from decimal import Decimal

from summaries import formatting


def test_numbers_remembered_while_a_digest_is_built_read_the_same_and_are_let_go() -> None:
    outside = [formatting.format_number(Decimal(v), 1, "de") for v in ("1234.55", "-0.04", "0")]
    with formatting.remembering():
        with formatting.remembering():  # nested: one memo, kept by the outermost
            inside = [formatting.format_number(Decimal(v), 1, "de")
                      for v in ("1234.55", "-0.04", "0")]
            memo = formatting._remembered.get()
            assert memo is not None
            assert len(memo) == 3
        assert formatting._remembered.get() is memo
    assert formatting._remembered.get() is None
    assert inside == outside == ["1.234,6", "0,0", "0,0"]
