"""What the evaluation area adds to lower areas' pages (app/hooks.py): each helper module registers its own."""
# One import line per module that holds @contribute functions (imported for their registration).
from app.evaluation import slots_decisions  # noqa
from app.evaluation import slots_self  # noqa
from app.evaluation import slots_candidacies  # noqa
from app.evaluation import slots_commission  # noqa
