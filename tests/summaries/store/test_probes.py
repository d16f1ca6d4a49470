"""``among``: ids chosen by a subquery, as IN on SQLite and as an array PostgreSQL seeks an
index with; never correlated with the outer query, and cached by what it says."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from summaries.store.models import Figure, Kpi
from summaries.store.probes import among


def _of(key: str, column=Figure.kpi_id):
    return (select(Figure.id).join(Kpi, Figure.kpi_id == Kpi.id)
            .where(among(column, select(Kpi.id).where(Kpi.key == key))))


def test_each_database_gets_its_own_form() -> None:
    lite = str(_of("revenue").compile(dialect=sqlite.dialect()))
    pg = str(_of("revenue").compile(dialect=postgresql.dialect()))
    assert "figures.kpi_id IN (SELECT kpis.id \nFROM kpis \nWHERE" in lite
    assert "= 1" not in lite  # SQLite could not seek an index with "IN (...) = 1"
    assert "figures.kpi_id = ANY(ARRAY(SELECT kpis.id \nFROM kpis \nWHERE" in pg


def test_the_cache_key_tells_statements_apart_by_column_not_by_value() -> None:
    assert _of("a")._generate_cache_key() == _of("b")._generate_cache_key()
    assert _of("a")._generate_cache_key() != _of("a", Figure.department_id)._generate_cache_key()
