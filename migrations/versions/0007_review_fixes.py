"""review fixes: deployment log entries tied to their adoption, Italian sort key and city of organisations, IPA
registry details, form submissions and co-donor invitations, join-request messages (each block names its point)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # point 4: a maintenance entry names the adoption it announces, so the log follows the adoption's visibility
    with op.batch_alter_table('kit_maintenance_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adoption_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_kit_maintenance_entry_adoption_id'), ['adoption_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_kit_maintenance_entry_adoption_id_adoption'), 'adoption',
                                    ['adoption_id'], ['id'])
    _link_deployment_entries()
    _drop_names_from_co_donor_notes()  # point 3
    # point 9: organisations sorted in Italian order on both databases (a normalised, indexed sort key)
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name', sa.String(length=200), nullable=True))
    _fill_sort_names()
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.alter_column('sort_name', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index(batch_op.f('ix_organization_sort_name'), ['sort_name'], unique=False)
    # point 11: organisations searched by city at registration; the IPA registry keeps what prefills a request
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('city', sa.String(length=100), nullable=True))
    with op.batch_alter_table('ipa_registry_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('region_code', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('province_code', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('website', sa.String(length=300), nullable=True))
    # points 29 and 30: tokens of creation forms already handled; co-donor invitations awaiting consent
    _create_submission_and_invitation_tables()
    # point 14: a moderated community's join request says why, for the facilitators
    with op.batch_alter_table('community_membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_message', sa.Text(), nullable=True))


def downgrade():
    # point 9
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_sort_name'))
        batch_op.drop_column('sort_name')
    # point 4
    with op.batch_alter_table('kit_maintenance_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_kit_maintenance_entry_adoption_id_adoption'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_kit_maintenance_entry_adoption_id'))
        batch_op.drop_column('adoption_id')
    # point 11
    with op.batch_alter_table('ipa_registry_entry', schema=None) as batch_op:
        for column in ('website', 'province_code', 'region_code', 'city', 'name'):
            batch_op.drop_column(column)
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('city')
    # points 29 and 30
    op.drop_table('co_donor_invitation')
    op.drop_table('form_submission')
    # point 14
    with op.batch_alter_table('community_membership', schema=None) as batch_op:
        batch_op.drop_column('request_message')


def _link_deployment_entries():
    """Point 4: link the existing "Dispiegamento registrato da …" entries to their deployment's adoption."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT d.practice_id, d.adoption_id, o.name FROM deployment d JOIN organization o ON o.id = d.organization_id"
    )).fetchall()
    for practice_id, adoption_id, name in rows:
        bind.execute(sa.text(
            "UPDATE kit_maintenance_entry SET adoption_id = :adoption WHERE practice_id = :practice AND note = :note"
            " AND adoption_id IS NULL"), dict(adoption=adoption_id, practice=practice_id,
                                              note=f"Dispiegamento registrato da {name}."))


def _fill_sort_names():
    """Point 9: the same key as app.models.organization.collation_key, copied so the migration stays fixed."""
    import unicodedata

    bind = op.get_bind()
    for id_, name in bind.execute(sa.text("SELECT id, name FROM organization")).fetchall():
        apart = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l",
                               "Đ": "D", "đ": "d"})
        key = "".join(c for c in unicodedata.normalize("NFKD", (name or "").translate(apart))
                      if not unicodedata.combining(c))
        bind.execute(sa.text("UPDATE organization SET sort_name = :key WHERE id = :id"),
                     dict(key=key.casefold()[:200], id=id_))


def _drop_names_from_co_donor_notes():
    """Point 3: "X invitato come co-cedente da <person>." named a person in the public log; the author is shown
    apart, to those who may see names."""
    bind = op.get_bind()
    marker = " invitato come co-cedente da "
    rows = bind.execute(sa.text("SELECT id, note FROM kit_maintenance_entry WHERE note LIKE :pattern"),
                        dict(pattern=f"%{marker}%")).fetchall()
    for id_, note in rows:
        bind.execute(sa.text("UPDATE kit_maintenance_entry SET note = :note WHERE id = :id"),
                     dict(note=note[:note.index(marker)] + " invitato come co-cedente.", id=id_))


def _create_submission_and_invitation_tables():
    """Points 29 and 30: form_submission and co_donor_invitation."""
    op.create_table('form_submission',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_form_submission_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', 'kind', 'token', name=op.f('pk_form_submission'))
    )
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submission_user_id'), ['user_id'], unique=False)
    op.create_table('co_donor_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_co_donor_invitation_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_co_donor_invitation_invited_by_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_co_donor_invitation_organization_id_organization')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_co_donor_invitation_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_co_donor_invitation')),
    sa.UniqueConstraint('practice_id', 'organization_id', name=op.f('uq_co_donor_invitation_practice_id'))
    )
    with op.batch_alter_table('co_donor_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_co_donor_invitation_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_co_donor_invitation_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_co_donor_invitation_status'), ['status'], unique=False)
