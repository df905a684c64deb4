"""Alembic environment: the same URL as planner.store.db, batch mode for SQLite."""

from alembic import context

from planner.store.db import database_url, get_engine
from planner.store.models import Base

config = context.config


def run_migrations() -> None:
    url = config.attributes.get("url") or database_url()
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with get_engine(url).connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
