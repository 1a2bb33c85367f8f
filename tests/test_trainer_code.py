"""The trainer code (sim/training/trainer_code.py): set once on the page when the server has no
COURT_SIM_TRAINER_CODE, kept only as a salted scrypt hash, changed only by whoever knows it."""
from __future__ import annotations

import hashlib
import json

import pytest

from sim.training import trainer_code as TCODE
from sim.training.session import SessionError


@pytest.fixture(autouse=True)
def _no_server_code(monkeypatch):
    monkeypatch.delenv(TCODE.ENV, raising=False)


def test_first_set_then_checked_and_kept_as_a_salted_hash(tmp_path):
    assert TCODE.source(tmp_path) is None and not TCODE.check("anything", tmp_path)
    TCODE.set_code("  zimmer-12 ", "zimmer-12", tmp_path)  # spaces around are not part of it
    assert TCODE.source(tmp_path) == "page"
    assert TCODE.check("zimmer-12", tmp_path) and TCODE.check(" zimmer-12", tmp_path)
    assert not TCODE.check("zimmer-13", tmp_path) and not TCODE.check("", tmp_path)
    kept = json.loads((tmp_path / TCODE.FILE).read_text(encoding="utf-8"))
    assert "zimmer" not in json.dumps(kept)
    # the stored digest is scrypt of the code with the stored salt (computed here independently)
    salt = bytes.fromhex(kept["salt"])
    assert len(salt) == 16
    assert kept["scrypt"] == hashlib.scrypt(b"zimmer-12", salt=salt, n=2 ** 14, r=8, p=1, dklen=32).hex()
    # two settings of the same code differ (a fresh salt each time)
    TCODE.set_code("zimmer-12", "zimmer-12", tmp_path, current="zimmer-12")
    assert json.loads((tmp_path / TCODE.FILE).read_text(encoding="utf-8"))["salt"] != kept["salt"]


@pytest.mark.parametrize("new,again,code", [("short", "short", "trainer_code_length"),
                                            ("x" * 65, "x" * 65, "trainer_code_length"),
                                            ("zimmer-12", "zimmer-21", "trainer_code_mismatch")])
def test_a_code_that_cannot_be_set_says_why(tmp_path, new, again, code):
    with pytest.raises(SessionError) as exc:
        TCODE.set_code(new, again, tmp_path)
    assert exc.value.code == code
    assert TCODE.source(tmp_path) is None


def test_changing_the_code_needs_the_current_one(tmp_path):
    TCODE.set_code("zimmer-12", "zimmer-12", tmp_path)
    for current in (None, "zimmer-13"):
        with pytest.raises(SessionError) as exc:
            TCODE.set_code("andere-34", "andere-34", tmp_path, current=current)
        assert exc.value.code == "trainer_code_wrong"
    TCODE.set_code("andere-34", "andere-34", tmp_path, current="zimmer-12")
    assert TCODE.check("andere-34", tmp_path) and not TCODE.check("zimmer-12", tmp_path)


def test_the_servers_code_wins_and_cannot_be_changed_on_the_page(tmp_path, monkeypatch):
    TCODE.set_code("zimmer-12", "zimmer-12", tmp_path)
    monkeypatch.setenv(TCODE.ENV, "s3cret")
    assert TCODE.source(tmp_path) == "env"
    assert TCODE.check("s3cret", tmp_path) and not TCODE.check("zimmer-12", tmp_path)
    with pytest.raises(SessionError) as exc:
        TCODE.set_code("andere-34", "andere-34", tmp_path, current="s3cret")
    assert exc.value.code == "trainer_code_env"


def test_a_damaged_file_opens_nothing(tmp_path):
    (tmp_path / TCODE.FILE).write_text('{"salt": "zz", "scrypt": 1}', encoding="utf-8")
    assert TCODE.source(tmp_path) == "page"
    assert not TCODE.check("zz", tmp_path) and not TCODE.check("1", tmp_path)
