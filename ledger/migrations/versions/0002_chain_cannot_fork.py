"""A chain entry's previous hash is unique: two writers can never both extend the same head.

The write lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL) already
serialises appends; this makes the database itself refuse a forked chain, whatever
program writes to it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:40:00
"""

from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An index, not a table constraint: SQLite can add it without copying the table.
    op.create_index('ix_chain_entry_previous_hash', 'chain_entry', ['previous_hash'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_chain_entry_previous_hash', table_name='chain_entry')
