"""reuse: adoptions and their events, deployment records, support requests with events, messages and
attachments, supplier offers, reuser-to-donor conversions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:53:22.574201

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('adoption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_adoption_confirmed_by_id_user_account')),
    sa.ForeignKeyConstraint(['declared_by_id'], ['user_account.id'], name=op.f('fk_adoption_declared_by_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_adoption_organization_id_organization')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_adoption_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adoption'))
    )
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoption_confirmed_at'), ['confirmed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoption_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoption_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoption_status'), ['status'], unique=False)

    op.create_table('supplier_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_supplier_offer_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_supplier_offer_hidden_by_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_supplier_offer_organization_id_organization')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_supplier_offer_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_offer')),
    sa.UniqueConstraint('practice_id', 'organization_id', name=op.f('uq_supplier_offer_practice_id'))
    )
    with op.batch_alter_table('supplier_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_offer_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_offer_practice_id'), ['practice_id'], unique=False)

    op.create_table('adoption_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adoption_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_adoption_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['adoption_id'], ['adoption.id'], name=op.f('fk_adoption_event_adoption_id_adoption')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adoption_event'))
    )
    with op.batch_alter_table('adoption_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoption_event_adoption_id'), ['adoption_id'], unique=False)

    op.create_table('deployment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adoption_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('deployed_on', sa.Date(), nullable=False),
    sa.Column('size', sa.String(length=8), nullable=False),
    sa.Column('territory', sa.String(length=200), nullable=False),
    sa.Column('adaptations', sa.Text(), nullable=False),
    sa.Column('effort', sa.String(length=300), nullable=False),
    sa.Column('cost_eur', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('lessons', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['adoption_id'], ['adoption.id'], name=op.f('fk_deployment_adoption_id_adoption')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_deployment_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_deployment_organization_id_organization')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_deployment_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment')),
    sa.UniqueConstraint('adoption_id', name=op.f('uq_deployment_adoption_id'))
    )
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_practice_id'), ['practice_id'], unique=False)

    op.create_table('reuse_conversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adoption_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('evidence_practice_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['adoption_id'], ['adoption.id'], name=op.f('fk_reuse_conversion_adoption_id_adoption')),
    sa.ForeignKeyConstraint(['evidence_practice_id'], ['practice.id'], name=op.f('fk_reuse_conversion_evidence_practice_id_practice')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_reuse_conversion_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reuse_conversion')),
    sa.UniqueConstraint('adoption_id', name=op.f('uq_reuse_conversion_adoption_id'))
    )
    with op.batch_alter_table('reuse_conversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reuse_conversion_organization_id'), ['organization_id'], unique=False)

    op.create_table('support_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('adoption_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('first_response_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('declined_at', sa.DateTime(), nullable=True),
    sa.Column('reopened_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['adoption_id'], ['adoption.id'], name=op.f('fk_support_request_adoption_id_adoption')),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_support_request_assignee_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_support_request_organization_id_organization')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_support_request_practice_id_practice')),
    sa.ForeignKeyConstraint(['requester_id'], ['user_account.id'], name=op.f('fk_support_request_requester_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_request'))
    )
    with op.batch_alter_table('support_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_request_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_resolved_at'), ['resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_request_status'), ['status'], unique=False)

    op.create_table('support_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_support_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['support_request.id'], name=op.f('fk_support_event_request_id_support_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_event'))
    )
    with op.batch_alter_table('support_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_event_request_id'), ['request_id'], unique=False)

    op.create_table('support_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('from_donor', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_support_message_author_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['support_request.id'], name=op.f('fk_support_message_request_id_support_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_message'))
    )
    with op.batch_alter_table('support_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_message_request_id'), ['request_id'], unique=False)

    op.create_table('support_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['support_message.id'], name=op.f('fk_support_attachment_message_id_support_message')),
    sa.ForeignKeyConstraint(['request_id'], ['support_request.id'], name=op.f('fk_support_attachment_request_id_support_request')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_support_attachment_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_attachment'))
    )
    with op.batch_alter_table('support_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_attachment_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_attachment_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_attachment_storage_key'), ['storage_key'], unique=False)



def downgrade():
    with op.batch_alter_table('support_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_attachment_storage_key'))
        batch_op.drop_index(batch_op.f('ix_support_attachment_request_id'))
        batch_op.drop_index(batch_op.f('ix_support_attachment_message_id'))

    op.drop_table('support_attachment')
    with op.batch_alter_table('support_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_message_request_id'))

    op.drop_table('support_message')
    with op.batch_alter_table('support_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_event_request_id'))

    op.drop_table('support_event')
    with op.batch_alter_table('support_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_request_status'))
        batch_op.drop_index(batch_op.f('ix_support_request_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_support_request_requester_id'))
        batch_op.drop_index(batch_op.f('ix_support_request_practice_id'))
        batch_op.drop_index(batch_op.f('ix_support_request_organization_id'))
        batch_op.drop_index(batch_op.f('ix_support_request_kind'))
        batch_op.drop_index(batch_op.f('ix_support_request_created_at'))
        batch_op.drop_index(batch_op.f('ix_support_request_assignee_id'))

    op.drop_table('support_request')
    with op.batch_alter_table('reuse_conversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reuse_conversion_organization_id'))

    op.drop_table('reuse_conversion')
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_practice_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_organization_id'))

    op.drop_table('deployment')
    with op.batch_alter_table('adoption_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoption_event_adoption_id'))

    op.drop_table('adoption_event')
    with op.batch_alter_table('supplier_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_offer_practice_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_offer_organization_id'))

    op.drop_table('supplier_offer')
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoption_status'))
        batch_op.drop_index(batch_op.f('ix_adoption_practice_id'))
        batch_op.drop_index(batch_op.f('ix_adoption_organization_id'))
        batch_op.drop_index(batch_op.f('ix_adoption_confirmed_at'))

    op.drop_table('adoption')
