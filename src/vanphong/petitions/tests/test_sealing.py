"""core.sealing, the field encryption of citizens' identities."""

from __future__ import annotations

import pytest

from vanphong.core.sealing import SealError, seal, unseal


def test_a_sealed_value_opens_only_in_its_context_and_unaltered():
    token = seal({"name": "Trịnh Thị Bảo Mật"}, "petitions.petition.sender:1")
    assert "Trịnh" not in token and token.startswith("v1:")
    assert unseal(token, "petitions.petition.sender:1") == {"name": "Trịnh Thị Bảo Mật"}
    assert seal({"name": "A"}, "x") != seal({"name": "A"}, "x")  # a fresh nonce each time
    with pytest.raises(SealError):
        unseal(token, "petitions.petition.sender:2")  # copied to another organisation's row
    altered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(SealError):
        unseal(altered, "petitions.petition.sender:1")
    with pytest.raises(SealError):
        unseal("plain text", "petitions.petition.sender:1")


def test_another_master_key_does_not_open_it(settings):
    token = seal({"name": "A"}, "c")
    settings.MASTER_KEY = "q" * 43  # base64url of 32 other bytes
    with pytest.raises(SealError):
        unseal(token, "c")
