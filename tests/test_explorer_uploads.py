"""explorer/uploads.py: bad uploads turned away before anything is written; good ones ingested."""

from __future__ import annotations

from pathlib import Path

from explorer.uploads import (
    MAX_UPLOAD_BYTES,
    check_upload,
    ingest_uploads,
    safe_name,
    save_uploads,
    uploaded_files,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
A05 = CORPUS / "sample" / "a05_snv_cv_boi_duong_ky_nang_so.txt"
DOCX = next((CORPUS / "sample").glob("*.docx"))


def test_refusals_name_their_reason() -> None:
    assert check_upload("a.txt", A05.read_bytes()) is None
    assert check_upload("b.docx", DOCX.read_bytes()) is None
    assert check_upload("c.exe", b"MZ...").reason == "bad_suffix"
    assert check_upload("d.txt", b"").reason == "empty"
    assert check_upload("e.txt", b"   \n").reason == "empty"
    big = check_upload("f.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
    assert big.reason == "too_big" and big.detail == "20.0"
    binary = check_upload("g.txt", bytes(range(256)) * 16)
    assert binary.reason == "binary" and "binary" in binary.detail
    assert check_upload("h.docx", b"PK\x03\x04 broken").reason == "not_docx"
    assert check_upload("i.pdf", b"%PDF-1.4 nothing else").reason == "not_pdf"


def test_safe_names() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\tài liệu\\KH 118.docx") == "KH 118.docx"
    assert safe_name("..hidden.txt") == "hidden.txt"
    assert safe_name("a:b*?.txt") == "a_b__.txt"


def test_saved_uploads_are_ingested_and_a_second_upload_updates(fresh_library, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    paths = save_uploads(data_dir, [("cv.txt", A05.read_bytes())])
    assert uploaded_files(data_dir) == paths and not list((data_dir / "uploads").glob(".part-*"))
    steps: list[tuple[int, int, str]] = []
    report = ingest_uploads(fresh_library, paths, progress=lambda i, n, p: steps.append((i, n, p.name)))
    assert report.counts["added"] == 1 and steps == [(1, 1, "cv.txt")]
    again = save_uploads(data_dir, [("cv.txt", A05.read_bytes() + b"\nPhu luc.\n")])
    assert again == paths
    assert ingest_uploads(fresh_library, again).counts["updated"] == 1
    assert ingest_uploads(fresh_library, again).counts["unchanged"] == 1
