"""Open errors are about the file at hand, and files other readers open are opened here too."""
from __future__ import annotations

from pathlib import Path

import pytest
from casereview.extract import extract_pdf

from tests.extract.make_outside_fixtures import make_damaged_pdf, make_encrypted_pdf


def test_damaged_after_encrypted_is_corrupt(tmp_path: Path) -> None:
    locked = extract_pdf(make_encrypted_pdf(tmp_path / "locked.pdf", user_password="secret"))
    damaged = extract_pdf(make_damaged_pdf(tmp_path / "damaged.pdf"))
    again = extract_pdf(make_encrypted_pdf(tmp_path / "locked2.pdf", user_password="secret"))
    codes = [doc.error.code if doc.error else None for doc in (locked, damaged, again)]
    assert codes == ["encrypted", "corrupt", "encrypted"]


def test_aes256_with_empty_user_password_opens(tmp_path: Path) -> None:
    doc = extract_pdf(make_encrypted_pdf(tmp_path / "aes.pdf", user_password=""))
    assert doc.status == "ok", doc.error
    assert "review panel" in doc.text


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 1 << 20])
def test_the_encrypt_key_is_found_whatever_the_read_size(tmp_path: Path, chunk: int) -> None:
    from casereview.extract import _has_encrypt_entry

    split = tmp_path / "split.bin"
    split.write_bytes(b"%PDF-1.7 trailer << /Encr" + b"ypt 5 0 R >>")
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"%PDF-1.7 trailer << /Root 1 0 R /Encry >>")
    assert _has_encrypt_entry(split, chunk) and not _has_encrypt_entry(plain, chunk)
