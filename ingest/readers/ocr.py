"""Page images to text with Tesseract's Vietnamese model, pages in parallel.

The tesseract command is called directly rather than through pytesseract: pytesseract
runs the same command but writes every image and every output to temporary files, and
what this module needs is exactly one call per page that takes the image on stdin and
gives TSV on stdout (words with their confidences; the text is rebuilt from them), with
its own environment (OMP_THREAD_LIMIT=1: the parallelism is ours, one page per process),
a timeout, and stderr kept for the message. That is a few lines of subprocess, and one
dependency fewer.

Pages are OCR'd by a thread pool of os.cpu_count() workers; each worker only waits on
its tesseract process, so threads are enough. `load_page` may not be thread-safe (pdfium
is not), so it is called under a lock: rendering is serialised, recognition is not.
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from itertools import pairwise

from PIL import Image, ImageChops, ImageFilter
from tqdm import tqdm

from ..errors import UnreadableSource
from .source import PageOrigin

LANGUAGE = "vie"
OCR_DPI = 300  # PDF pages are rendered at this resolution; Tesseract is trained on ~300 dpi
MAX_OCR_PAGES = 100  # per file: a directive runs to a few dozen pages; beyond, a warning names the rest
PAGE_TIMEOUT_S = 300  # one page that takes longer is given up (a warning), the others go on
LOW_CONFIDENCE = 80.0  # mean word confidence (0–100) under which a page is flagged for checking
UNREADABLE_CONFIDENCE = 45.0  # under this the page's words are mostly guesses: the text is dropped
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
# Red ink (the seal over the signature, a "KHẨN" stamp) is dropped before recognition:
# a channel difference this large is ink that is red, not black text under it.
_RED_MARGIN = 50
_RED_BRIGHT = 150
# No word starts with a full stop, comma or backtick glued to a letter: that is dust ahead
# of the word (".CHƯƠNG TRÌNH").
_LEADING_SPECK = re.compile(r"^[.,`]+(?=\w)")
# Vietnamese has Đ (U+0110); the model also answers the Icelandic Ð (U+00D0), which looks the same.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})
# A "word" with no letter or digit and a confidence this low, or smaller than this share of
# the letters' height, is a speck, not punctuation.
_SPECK_CONFIDENCE = 60.0
_SPECK_SIZE = 0.2
# Words further apart than this many letter heights stand in two columns (normalize.py splits
# a header's or a signature block's columns at a run of three or more spaces).
_COLUMN_GAP = 1.5
_COLUMN_SPACES = "      "
# A word ending in a hyphen closer than this to the next (a space is ~0.4 letter heights)
# was cut from it: "245/KH-" "UBND". A dash standing alone ("2021 - 2030") is no such word.
_HYPHEN_GAP = 0.25
# The darkest pixels' share that is dust, not ink, for the threshold (a page of text has ~5% ink).
_OUTLIER_SHARE = 0.002
# Fewer black pixels than this, once binarised, is a blank page (a full stop at 300 dpi has ~200).
_BLANK_PAGE_INK = 100
# Space between two lines, in letter heights, that stands for an empty line between them.
_BLANK_LINE_GAP = 0.9


@dataclass(frozen=True, slots=True)
class PageOCR:
    text: str  # lines joined by "\n"
    confidence: float | None  # mean word confidence, 0–100; None when no word was found
    words: int


@functools.cache
def tesseract_problem() -> str | None:
    """Why OCR cannot run here, or None; asked once per process."""
    if shutil.which("tesseract") is None:
        return f"OCR needs Tesseract, which is not installed ({INSTALL_HINT})"
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30,
                                check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"OCR needs Tesseract, which cannot be run ({exc}; {INSTALL_HINT})"
    languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    if LANGUAGE not in languages:
        return f"OCR needs Tesseract's Vietnamese model, which is not installed ({INSTALL_HINT})"
    return None


def require_tesseract(path: str) -> None:
    problem = tesseract_problem()
    if problem:
        raise UnreadableSource(path, problem)


def prepare(image: Image.Image) -> Image.Image:
    """Greyscale for Tesseract, without red ink and without the scanner's dust specks."""
    if image.mode in ("1", "L"):
        gray = image.convert("L")
    else:
        rgb = image.convert("RGB")
        red, green, blue = rgb.split()
        redness = ImageChops.subtract(red, ImageChops.lighter(green, blue))
        gray = rgb.convert("L")
        # Only where the red is bright too: black text under the seal prints dark red, and stays.
        bright = red.point(lambda value: 255 if value > _RED_BRIGHT else 0)
        gray.paste(255, mask=ImageChops.multiply(redness.point(lambda value: 255 if value > _RED_MARGIN else 0),
                                                 bright))
    # A 3×3 median removes specks of a pixel or two; strokes at 300 dpi are wider than that.
    # Binarised here, at the page's own threshold: Tesseract's vie model misreads whole
    # words of grey, anti-aliased text ("chuyển" → "°HEVSD") that it reads in black and white.
    gray = gray.filter(ImageFilter.MedianFilter(3))
    cut = otsu_threshold(gray.histogram())
    return gray.point(lambda value: 255 if value > cut else 0)


def otsu_threshold(histogram: Sequence[int]) -> int:
    """The grey level that best separates ink from paper (Otsu 1979: maximal between-class variance).

    The darkest _OUTLIER_SHARE of the pixels count as the level above them: a few black
    specks would otherwise be the "ink" class, and the faint grey text on a washed-out scan
    fall on the paper's side.
    """
    histogram = list(histogram)
    total = sum(histogram)
    darkest, seen = 0, 0
    while darkest < 255 and seen + histogram[darkest] <= _OUTLIER_SHARE * total:
        seen += histogram[darkest]
        darkest += 1
    histogram[darkest] += seen
    histogram[:darkest] = [0] * darkest
    weighted_total = sum(level * count for level, count in enumerate(histogram))
    best_level, best_variance = 127, -1.0
    below = weighted_below = 0
    for level, count in enumerate(histogram[:255]):
        below += count
        weighted_below += level * count
        above = total - below
        if not below or not above:
            continue
        mean_below, mean_above = weighted_below / below, (weighted_total - weighted_below) / above
        variance = below * above * (mean_below - mean_above) ** 2
        if variance > best_variance:
            best_level, best_variance = level, variance
    return best_level


def ocr_image(image: Image.Image, *, dpi: int = OCR_DPI, timeout: float = PAGE_TIMEOUT_S) -> PageOCR:
    """One page; raises OSError or subprocess errors when tesseract itself fails."""
    page = prepare(image)
    if page.histogram()[0] < _BLANK_PAGE_INK:  # the back of a sheet: nothing to ask Tesseract
        return PageOCR("", None, 0)
    buffer = io.BytesIO()
    page.save(buffer, "PPM")  # uncompressed: encoding PNG would cost more than the pipe
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi), "--psm", "3", "tsv"],
        input=buffer.getvalue(), capture_output=True, timeout=timeout,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=False,
    )
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OSError(f"tesseract exited with status {done.returncode}" + (f": {detail[-1]}" if detail else ""))
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    confidence: float
    line: tuple[str, str, str]  # Tesseract's block, paragraph and line numbers
    left: int
    top: int
    width: int
    height: int

    @property
    def is_mark(self) -> bool:
        return not any(char.isalnum() for char in self.text)


def parse_tsv(tsv: str) -> PageOCR:
    """Tesseract's TSV → the page's text (one line per recognised line) and its confidence."""
    words = _tsv_words(tsv)
    letters = sorted(word.height for word in words if not word.is_mark)
    size = letters[len(letters) // 2] if letters else 0
    # Dust read as "." or "'" or "_": a mark standing alone that is tiny or unsure. A list
    # dash is wider than the tiny cut-off, and sure.
    words = [word for word in words if not (word.is_mark and (
        word.confidence < _SPECK_CONFIDENCE or max(word.width, word.height) < _SPECK_SIZE * size))]
    lines: dict[tuple[str, str, str], list[_Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    # A blank line where the page leaves a line's worth of space, or where Tesseract starts
    # a new block (a column): the title block and the body would otherwise run together when
    # hard wraps are rejoined. Tesseract's own paragraphs are not used: it makes every short
    # line of a "V/v" subject a paragraph of its own.
    rows: list[str] = []
    previous: tuple[str, int] | None = None  # block and bottom of the line before
    for key, line_words in lines.items():
        top = min(word.top for word in line_words)
        bottom = max(word.top + word.height for word in line_words)
        if previous is not None and (key[0] != previous[0] or top - previous[1] > _BLANK_LINE_GAP * size):
            rows.append("")
        previous = (key[0], bottom)
        rows.append(_join_words(line_words, size))
    mean = round(sum(word.confidence for word in words) / len(words), 1) if words else None
    return PageOCR("\n".join(rows), mean, len(words))


def _tsv_words(tsv: str) -> list[_Word]:
    words: list[_Word] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():  # level 5: a word
            continue
        try:
            confidence = float(cells[10])
            left, top, width, height = (int(cell) for cell in cells[6:10])
        except ValueError:
            continue
        if confidence >= 0:
            text = _LEADING_SPECK.sub("", cells[11].strip()).translate(_LOOKALIKES)
            words.append(_Word(text, confidence, (cells[2], cells[3], cells[4]),
                               left, top, width, height))
    return words


def _join_words(words: list[_Word], size: int) -> str:
    """One line's words; a gap much wider than a space (two columns side by side, as in a
    header or the signature block) becomes a run of spaces, as a typed text has there."""
    out = words[0].text
    for before, word in pairwise(words):
        gap = word.left - (before.left + before.width)
        if gap < _HYPHEN_GAP * size and before.text.endswith("-") and not before.is_mark:
            out += word.text  # "245/KH-" "UBND": one symbol that Tesseract cut at its hyphen
        else:
            out += (_COLUMN_SPACES if gap > _COLUMN_GAP * size else " ") + word.text
    return out


def ocr_pages(
    load_page: Callable[[int], Image.Image],
    numbers: Sequence[int],
    path: str,
    *,
    dpi: int = OCR_DPI,
    workers: int | None = None,
) -> dict[int, PageOCR | str]:
    """Page number → its OCR, or the reason it could not be read; a failed page stops nothing."""
    require_tesseract(path)
    lock = threading.Lock()

    def one(number: int) -> PageOCR | str:
        try:
            with lock:
                image = load_page(number)
            return ocr_image(image, dpi=dpi)
        except subprocess.TimeoutExpired:
            return f"OCR gave up after {PAGE_TIMEOUT_S} s"
        except (OSError, EOFError, ValueError, RuntimeError, MemoryError, Image.DecompressionBombError) as exc:
            # RuntimeError: pdfium's PdfiumError, for a page it cannot render
            return f"OCR failed ({type(exc).__name__}: {exc})"

    # One bar per file, on a terminal only, gone once the file is done: the batch has its own.
    shown = len(numbers) > 1 and sys.stderr.isatty()
    results: dict[int, PageOCR | str] = {}
    with (
        tqdm(total=len(numbers), desc=f"OCR {os.path.basename(path)}", unit="page", file=sys.stderr,
             disable=not shown, leave=False, dynamic_ncols=True) as bar,
        ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool,
    ):
        futures = {pool.submit(one, number): number for number in numbers}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.update()
    return dict(sorted(results.items()))


def page_warnings(number: int, result: PageOCR | str) -> list[str]:
    """What a reader should know about one OCR'd page: failed, unreadable, or doubtful."""
    if isinstance(result, str):
        return [f"page {number}: {result}"]
    if result.confidence is None:
        return [f"page {number}: OCR found no text (blank, or too faint to read)"]
    if result.confidence < UNREADABLE_CONFIDENCE:
        return [(f"page {number}: OCR confidence {result.confidence:.1f} is too low to use the text "
                 "(too faint or too damaged to read); the page is left empty")]
    if result.confidence < LOW_CONFIDENCE:
        return [f"page {number}: OCR confidence {result.confidence:.1f} is low; check the text against the scan"]
    return []


@dataclass(frozen=True, slots=True)
class OCRPass:
    """The pages one file needed OCR for: their text, where it came from, what went wrong."""

    texts: dict[int, str]  # page number → text ("" for a page with nothing usable)
    origins: dict[int, PageOrigin]
    warnings: tuple[str, ...]

    @property
    def found_text(self) -> bool:
        return any(text.strip() for text in self.texts.values())


def ocr_missing_pages(
    load_page: Callable[[int], Image.Image], numbers: Sequence[int], path: str, *, dpi: int = OCR_DPI,
) -> OCRPass:
    """OCR the pages that have no text of their own, up to MAX_OCR_PAGES of them."""
    done, skipped = list(numbers[:MAX_OCR_PAGES]), list(numbers[MAX_OCR_PAGES:])
    results = ocr_pages(load_page, done, path, dpi=dpi)
    texts: dict[int, str] = {}
    origins: dict[int, PageOrigin] = {}
    warnings: list[str] = []
    for number, result in results.items():
        texts[number] = usable_text(result)
        origins[number] = PageOrigin("ocr", None if isinstance(result, str) else result.confidence)
        warnings.extend(page_warnings(number, result))
    for number in skipped:
        texts[number] = ""
        origins[number] = PageOrigin("skipped")
    if skipped:
        warnings.append(f"{'page' if len(skipped) == 1 else 'pages'} {page_runs(skipped)} not OCR'd: "
                        f"at most {MAX_OCR_PAGES} pages are OCR'd per file (split the file to read the rest)")
    return OCRPass(texts, origins, tuple(warnings))


def usable_text(result: PageOCR | str) -> str:
    if isinstance(result, str) or result.confidence is None or result.confidence < UNREADABLE_CONFIDENCE:
        return ""
    return result.text


def page_runs(numbers: Sequence[int]) -> str:
    """[3, 5, 6, 7] → "3, 5–7": page lists in messages stay one line long."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)
