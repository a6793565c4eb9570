"""Every action the evaluation's services write to a call's audit log has its Italian label (app/evaluation/
audit_log.py): the source of app/evaluation/*.py and of the demo is read with a regex, so a new audit(...) call without
a label fails here instead of showing its code on the audit page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.evaluation.audit_log import AUDIT_LABELS
from app.evaluation.candidacies import CANDIDATE_ACTIONS
from app.evaluation.workflow import CallAction

ROOT = Path(__file__).resolve().parents[2]
# audit(call, "x.y", …) in the services; log.add(days["opens"] - 1, "x.y", …) in the demo's audit log.
CALL = re.compile(r'\b(?:audit|log\.add|self\.add)\(\s*(?:[^()\n]|\([^()\n]*\))*?,\s*(f?)"([a-z_]+\.[a-z_{}]+)"')
# What an f-string's placeholder stands for, by the action's prefix.
EXPANSIONS = {"call.": [str(each) for each in CallAction],
              "candidacy.": [str(each) for each in CANDIDATE_ACTIONS],
              "conflict.": ["confirm", "dismiss"]}


def written_actions() -> set[str]:
    sources = sorted((ROOT / "app" / "evaluation").glob("*.py")) + [ROOT / "app" / "demo" / "evaluation.py"]
    found = set()
    for path in sources:
        for formatted, action in CALL.findall(path.read_text(encoding="utf-8")):
            if not formatted:
                found.add(action)
                continue
            prefix, placeholder = action.split("{", 1)
            assert placeholder.endswith("}") and prefix in EXPANSIONS, (path.name, action)
            found.update(prefix + each for each in EXPANSIONS[prefix])
    return found


def test_the_regex_finds_the_services_actions():
    actions = written_actions()
    assert len(actions) > 30
    assert len(CALL.findall((ROOT / "app" / "demo" / "evaluation.py").read_text(encoding="utf-8"))) >= 20
    assert {"call.create", "call.open", "candidacy.create", "review.edit", "conflict.confirm",
            "decision.publish", "assignment.auto"} <= actions


@pytest.mark.parametrize("action", sorted(written_actions()))
def test_every_written_action_has_an_italian_label(action):
    assert action in AUDIT_LABELS, action
    label = str(AUDIT_LABELS[action])
    assert label and label[0].isupper() and action not in label


def test_no_label_is_left_for_an_action_nobody_writes():
    assert set(AUDIT_LABELS) - written_actions() == set()
