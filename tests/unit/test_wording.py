"""Interface texts address and describe people without assuming their gender, in words a civil servant uses
(issue 11, points 6 and 15)."""
from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir

from tests.unit.test_translations import KEYWORDS, METHODS, OPTIONS, ROOT

# Masculine agreements that were found about a person (the reader or someone named): each has a neutral wording now.
GENDERED = re.compile(
    r"\b(Bentornat[oa]|Benvenut[oa]|è entrat[oa]|[Ss]ei stat[oa]|[Ss]ei (già )?iscritt[oa]|[Ss]ei uscit[oa]"
    r"|[Ss]ei animatore|è ora animatore|ora è animatore|non è più animatore|è intervenut[oa]|Iscritt[oa] dal"
    r"|ti ha rimoss[oa]|ti ha menzionat[oa]|compres[oa] te|essere iscritt[oa]|a cui sei iscritt[oa]|Come amministratore)\b")
# Words of developers and file formats that the review found in the interface.
JARGON = re.compile(r"\bslug\b|identificativo SPDX|ODF e OOXML|\bnata il\b|\bBytes\b")


@pytest.fixture(scope="module")
def interface_texts() -> list[str]:
    texts = []
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), METHODS, options_map=OPTIONS,
                                                                       keywords=KEYWORDS):
        texts.extend([message] if isinstance(message, str) else [m for m in message if m])
    assert len(texts) > 500  # the templates were read, not skipped
    return texts


def test_no_gendered_agreement_about_people(interface_texts):
    assert [text for text in interface_texts if GENDERED.search(text)] == []


def test_no_jargon(interface_texts):
    assert [text for text in interface_texts if JARGON.search(text)] == []
