"""Q&A (issue 12): questions, answers, comments, revisions, votes, follows, reports, moderation log, question
events, links with support requests; the search queue learns questions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 04:25:00.112955

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('qa_follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_qa_follow_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_follow')),
    sa.UniqueConstraint('user_id', 'target_type', 'target_id', name=op.f('uq_qa_follow_user_id'))
    )
    with op.batch_alter_table('qa_follow', schema=None) as batch_op:
        batch_op.create_index('ix_qa_follow_target', ['target_type', 'target_id'], unique=False)

    op.create_table('qa_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('tags', sa.String(length=300), nullable=True),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['editor_id'], ['user_account.id'], name=op.f('fk_qa_revision_editor_id_user_account')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_qa_revision_hidden_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_revision')),
    sa.UniqueConstraint('target_type', 'target_id', 'number', name=op.f('uq_qa_revision_target_type'))
    )
    op.create_table('qa_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_qa_vote_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_vote')),
    sa.UniqueConstraint('user_id', 'target_type', 'target_id', name=op.f('uq_qa_vote_user_id'))
    )
    with op.batch_alter_table('qa_vote', schema=None) as batch_op:
        batch_op.create_index('ix_qa_vote_target', ['target_type', 'target_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('accepted_answer_id', sa.Integer(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('close_reason', sa.String(length=20), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('answer_count', sa.Integer(), nullable=False),
    sa.Column('vote_count', sa.Integer(), nullable=False),
    sa.Column('first_answer_at', sa.DateTime(), nullable=True),
    sa.Column('acceptors_invited_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user_account.id'], name=op.f('fk_question_accepted_by_id_user_account')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_question_author_id_user_account')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_question_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_question_community_id_community')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['question.id'], name=op.f('fk_question_duplicate_of_id_question')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_question_organization_id_organization')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_question_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_question_community_activity', ['community_id', 'last_activity_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_question_practice_activity', ['practice_id', 'last_activity_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_visibility'), ['visibility'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('vote_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_answer_author_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_answer_organization_id_organization')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('question_id', 'author_id', name=op.f('uq_answer_question_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_visibility'), ['visibility'], unique=False)

    # question ↔ answer reference each other: the accepted answer's key is added once both tables exist
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_question_accepted_answer_id_answer', 'answer', ['accepted_answer_id'], ['id'])

    op.create_table('qa_moderation_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_qa_moderation_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_qa_moderation_event_community_id_community')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_qa_moderation_event_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_moderation_event'))
    )
    with op.batch_alter_table('qa_moderation_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_moderation_event_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_qa_moderation_event_target', ['target_type', 'target_id'], unique=False)

    op.create_table('qa_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('by_facilitator', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_qa_report_community_id_community')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_qa_report_organization_id_organization')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_qa_report_question_id_question')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_qa_report_reporter_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_report')),
    sa.UniqueConstraint('reporter_id', 'target_type', 'target_id', name=op.f('uq_qa_report_reporter_id'))
    )
    with op.batch_alter_table('qa_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_report_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_report_question_id'), ['question_id'], unique=False)
        batch_op.create_index('ix_qa_report_target', ['target_type', 'target_id'], unique=False)

    op.create_table('question_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_question_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_event_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_event'))
    )
    with op.batch_alter_table('question_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_event_question_id'), ['question_id'], unique=False)

    op.create_table('question_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_tag_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_tag')),
    sa.UniqueConstraint('question_id', 'name', name=op.f('uq_question_tag_question_id'))
    )
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_tag_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_tag_question_id'), ['question_id'], unique=False)

    op.create_table('qa_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(length=600), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_qa_comment_answer_id_answer')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_qa_comment_author_id_user_account')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_qa_comment_organization_id_organization')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_qa_comment_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_comment'))
    )
    with op.batch_alter_table('qa_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_comment_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_qa_comment_question_created', ['question_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_comment_visibility'), ['visibility'], unique=False)

    op.create_table('qa_support_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('support_request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_title', sa.String(length=200), nullable=True),
    sa.Column('proposed_body', sa.Text(), nullable=True),
    sa.Column('proposed_answer', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_qa_support_link_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_qa_support_link_proposed_by_id_user_account')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_qa_support_link_question_id_question')),
    sa.ForeignKeyConstraint(['support_request_id'], ['support_request.id'], name=op.f('fk_qa_support_link_support_request_id_support_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_support_link')),
    sa.UniqueConstraint('question_id', 'support_request_id', name=op.f('uq_qa_support_link_question_id'))
    )
    with op.batch_alter_table('qa_support_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_support_link_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_support_link_support_request_id'), ['support_request_id'], unique=False)

    with op.batch_alter_table('search_pending', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_id', sa.Integer(), nullable=True))
        batch_op.alter_column('practice_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_search_pending_question_id'), ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('search_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_pending_question_id'))
        batch_op.alter_column('practice_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('question_id')

    with op.batch_alter_table('qa_support_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_support_link_support_request_id'))
        batch_op.drop_index(batch_op.f('ix_qa_support_link_question_id'))

    op.drop_table('qa_support_link')
    with op.batch_alter_table('qa_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_comment_visibility'))
        batch_op.drop_index('ix_qa_comment_question_created')
        batch_op.drop_index(batch_op.f('ix_qa_comment_author_id'))
        batch_op.drop_index(batch_op.f('ix_qa_comment_answer_id'))

    op.drop_table('qa_comment')
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_tag_question_id'))
        batch_op.drop_index(batch_op.f('ix_question_tag_name'))

    op.drop_table('question_tag')
    with op.batch_alter_table('question_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_event_question_id'))

    op.drop_table('question_event')
    with op.batch_alter_table('qa_report', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_report_target')
        batch_op.drop_index(batch_op.f('ix_qa_report_question_id'))
        batch_op.drop_index(batch_op.f('ix_qa_report_community_id'))

    op.drop_table('qa_report')
    with op.batch_alter_table('qa_moderation_event', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_moderation_event_target')
        batch_op.drop_index(batch_op.f('ix_qa_moderation_event_community_id'))

    op.drop_table('qa_moderation_event')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_visibility'))
        batch_op.drop_index(batch_op.f('ix_answer_question_id'))
        batch_op.drop_index(batch_op.f('ix_answer_organization_id'))
        batch_op.drop_index(batch_op.f('ix_answer_created_at'))
        batch_op.drop_index(batch_op.f('ix_answer_author_id'))

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint('fk_question_accepted_answer_id_answer', type_='foreignkey')

    op.drop_table('answer')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_visibility'))
        batch_op.drop_index(batch_op.f('ix_question_status'))
        batch_op.drop_index('ix_question_practice_activity')
        batch_op.drop_index(batch_op.f('ix_question_organization_id'))
        batch_op.drop_index(batch_op.f('ix_question_created_at'))
        batch_op.drop_index(batch_op.f('ix_question_community_id'))
        batch_op.drop_index('ix_question_community_activity')
        batch_op.drop_index(batch_op.f('ix_question_author_id'))

    op.drop_table('question')
    with op.batch_alter_table('qa_vote', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_vote_target')

    op.drop_table('qa_vote')
    op.drop_table('qa_revision')
    with op.batch_alter_table('qa_follow', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_follow_target')

    op.drop_table('qa_follow')
