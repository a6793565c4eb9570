"""Every model, imported here so that Alembic sees them all."""
from app.models.organization import (  # noqa: F401
    KIND_LABELS,
    PA_KIND_LABELS,
    IpaRegistryEntry,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    PaKind,
    ipa_code_taken,
)
from app.models.user import AffiliationStatus, EmailFrequency, User  # noqa: F401
from app.models.community import (  # noqa: F401
    SCOPE_LABELS,
    THEME_LABELS,
    VISIBILITY_LABELS,
    Community,
    Invitation,
    Membership,
    MembershipEvent,
)
from app.models.activity import Activity, Notification  # noqa: F401
from app.models.practice import (  # noqa: F401
    BUDGET_MISSIONS,
    Attachment,
    KIT_SECTIONS,
    PRACTICE_KINDS,
    KitSection,
    KitVersion,
    MaintenanceEntry,
    Practice,
    PracticeTag,
    practice_co_donor,
)
from app.models.search import SearchPending  # noqa: F401
from app.models.reuse import (  # noqa: F401
    ADOPTION_STATUS_LABELS,
    CONVERSION_REASONS,
    DEPLOYMENT_SIZES,
    OFFER_SERVICES,
    REQUEST_KINDS,
    REQUEST_STATUS_LABELS,
    Adoption,
    AdoptionEvent,
    Conversion,
    Deployment,
    SupplierOffer,
    SupportAttachment,
    SupportEvent,
    SupportMessage,
    SupportRequest,
)
from app.models.integrity import CoDonorInvitation, FormSubmission  # noqa: F401
from app.models.qa import (  # noqa: F401
    CLOSE_REASON_LABELS,
    QUESTION_STATUS_LABELS,
    REPORT_REASON_LABELS,
    Answer,
    Comment,
    Follow,
    FollowLevel,
    ModerationEvent,
    Question,
    QuestionEvent,
    QuestionTag,
    Report,
    Revision,
    SupportLink,
    Vote,
)
