"""OCR throughput and accuracy: pages/s (wall and CPU) and character accuracy on scans of our documents.

    python benchmarks/ocr_throughput.py [STEM ...] [--json]

(after `pip install -e .[dev]`; needs tesseract-ocr and tesseract-ocr-vie.)

Each corpus/sample document named (default: seven of several kinds) is drawn as a 300-dpi
scan by tests/scan_render.py (skew, specks, blur, a red seal), saved as a PDF without a
text layer, and read back through ingest.readers (pdfium rendering, then Tesseract on
os.cpu_count() workers). Reported per document and in total:

- pages/s over wall time, and over CPU time (this process plus its tesseract children,
  from resource.getrusage), with the worker count: on a shared machine the CPU figure is
  the one to compare;
- character accuracy: 1 − Levenshtein / length, between the records' texts of the scan and
  of the clean file (both through chidao's normaliser), white space collapsed;
- macro F1 against the gold annotations, for the scan and for the clean text.

Rendering the scans is left out of the timings. A script, not a test.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from ingest.evaluate import load_json, score_corpus
from ingest.pipeline import parse_file
from ingest.readers import read_source
from ingest.readers.ocr import tesseract_problem

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from scan_render import render_scan  # test support, not a package: after the path is set

DEFAULT_STEMS = (
    "a10_vp_ubnd_cv_tb07", "a06_stc_cv_kinh_phi_57", "a02_ubnd_qd_ban_hanh_kh", "b16_ubnd_chi_thi_cchc_2026",
    "a01_tu_ctr_57", "b10_hu_phu_binh_thong_bao_ket_luan", "b12_du_xa_diem_thuy_ctr_2026",
)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _accuracy(ocr_text: str, clean_text: str) -> float:
    clean = " ".join(clean_text.split())
    return 1 - Levenshtein.distance(" ".join(ocr_text.split()), clean) / len(clean)


def measure(stem: str, folder: Path) -> dict[str, Any]:
    clean_path = REPO / "corpus" / "sample" / f"{stem}.txt"
    clean_text = read_source(clean_path).text
    pages = render_scan(clean_text, seed=len(stem))
    scan = folder / f"{stem}.pdf"
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=300)
    scan.write_bytes(buffer.getvalue())
    wall, cpu = time.perf_counter(), _cpu_seconds()
    scanned = parse_file(scan).to_json()  # reading (render + OCR) dominates; parsing is ~5 ms
    wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    gold = load_json(REPO / "corpus" / "gold" / "sample" / f"{stem}.gold.json")
    clean = parse_file(clean_path).to_json()
    confidences = [p["ocr_confidence"] for p in scanned["pages"] if p["ocr_confidence"] is not None]
    return {
        "document": stem, "pages": len(pages), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
        "accuracy": round(_accuracy(scanned["text"], clean["text"]), 4),
        "mean_confidence": round(sum(confidences) / len(confidences), 1) if confidences else None,
        "f1_scan": score_corpus({stem: gold}, {stem: scanned}).macro_f1,
        "f1_clean": score_corpus({stem: gold}, {stem: clean}).macro_f1,
        "misses": score_corpus({stem: gold}, {stem: scanned}).misses[stem],
        "_records": (gold, scanned, clean),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stems", nargs="*", default=list(DEFAULT_STEMS), help="corpus/sample document stems")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    problem = tesseract_problem()
    if problem:
        raise SystemExit(problem)
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(stem, Path(tmp)) for stem in args.stems]
    records = {row["document"]: row.pop("_records") for row in rows}
    gold = {stem: triple[0] for stem, triple in records.items()}
    pages = sum(r["pages"] for r in rows)
    wall, cpu = sum(r["wall_s"] for r in rows), sum(r["cpu_s"] for r in rows)
    total = {
        "workers": os.cpu_count(), "load_average": [round(x, 1) for x in os.getloadavg()],
        "pages": pages, "pages_per_s_wall": round(pages / wall, 3), "pages_per_s_cpu": round(pages / cpu, 3),
        "mean_accuracy": round(sum(r["accuracy"] for r in rows) / len(rows), 4),
        "min_accuracy": min(r["accuracy"] for r in rows),
        # the documents scored as one corpus, as `chidao eval` does
        "f1_scan": score_corpus(gold, {stem: triple[1] for stem, triple in records.items()}).macro_f1,
        "f1_clean": score_corpus(gold, {stem: triple[2] for stem, triple in records.items()}).macro_f1,
    }
    if args.json:
        print(json.dumps({"documents": rows, "total": total}, ensure_ascii=False, indent=2))
        return
    print(f"{'document':40} pages  wall s  cpu s  accuracy  conf  F1 scan  F1 clean")
    for r in rows:
        print(f"{r['document']:40} {r['pages']:5} {r['wall_s']:7.1f} {r['cpu_s']:6.1f} {r['accuracy']:9.4f} "
              f"{r['mean_confidence'] or 0:5.1f} {r['f1_scan']:8.3f} {r['f1_clean']:9.3f}")
    print(f"{pages} pages, {total['workers']} workers (load average {total['load_average']}): "
          f"{total['pages_per_s_wall']} pages/s wall, {total['pages_per_s_cpu']} pages/s of CPU; "
          f"character accuracy mean {total['mean_accuracy']:.4f}, min {total['min_accuracy']:.4f}; "
          f"macro F1 over the {len(rows)} documents: scans {total['f1_scan']:.3f}, clean {total['f1_clean']:.3f}")
    for r in rows:
        if r["misses"]:
            print(f"  {r['document']}: " + "; ".join(r["misses"]))


if __name__ == "__main__":
    main()
