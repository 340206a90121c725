"""Test support: a document's text drawn as 300-dpi page scans, to OCR it back.

`render_scan(text)` lays the lines out on A4 pages in DejaVu Sans, as an office printer
would, then damages each page the way a scanner does: a slight skew, grey paper, dust
specks, a little blur, and a red seal where the signature goes (between the signing
capacity and the signer's name, the last line), over the start of both, as offices seal. Everything
follows from the seed, so a failing accuracy test fails the same way every time.

Layout lines with runs of spaces (a two-column header typed as "ĐẢNG BỘ …      ĐẢNG CỘNG
SẢN …") keep their gaps, narrowed when the line is wider than the page; other lines
longer than the page wrap at word boundaries, as the printed page would.
"""
from __future__ import annotations

import math
import random
import re
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
A4_MM = (210, 297)
_GAP = re.compile(r" {3,}")


def render_scan(
    text: str,
    *,
    dpi: int = 300,
    font_pt: float = 11.0,
    skew_degrees: float = 0.7,
    specks: int = 400,
    blur: float = 0.6,
    stamp: bool = True,
    fade: float = 0.0,
    seed: int = 0,
) -> list[Image.Image]:
    """The text's pages as RGB images; `fade` 0…1 washes the ink towards the paper."""
    rng = random.Random(seed)
    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    left, right, top, bottom = (round(mm / 25.4 * dpi) for mm in (30, 15, 20, 20))
    font = ImageFont.truetype(str(FONT_PATH), round(font_pt / 72 * dpi))
    line_height = round(font.size * 1.45)
    lines = _layout(text, font, width - left - right)
    signed_at = max((row for row, line in enumerate(lines) if line.strip()), default=0)
    per_page = max(1, (height - top - bottom) // line_height)
    pages: list[Image.Image] = []
    for first in range(0, max(len(lines), 1), per_page):
        page = Image.new("RGB", (width, height), (255, 255, 255))
        draw = ImageDraw.Draw(page)
        ink = 255 * fade
        for row, line in enumerate(lines[first:first + per_page]):
            shade = round(ink + (1 - fade) * rng.uniform(15, 45))
            draw.text((left, top + row * line_height), line, font=font, fill=(shade, shade, shade + 5))
        pages.append(page)
    if stamp and pages:
        # on the signature, overlapping the signing capacity above it, as an office seals
        name = lines[signed_at]
        gap = list(_GAP.finditer(name.strip()))
        name_x = left + round(font.getlength(name[:name.index(gap[-1].group()) + len(gap[-1].group())])
                              if gap else 0)
        centre_y = top + (signed_at % per_page) * line_height - line_height  # between capacity and name
        _stamp(pages[signed_at // per_page], (name_x, centre_y), round(0.6 * dpi), rng)
    return [_scanned(page, skew_degrees * rng.choice((-1, 1)), specks, blur, rng) for page in pages]


def _layout(text: str, font: ImageFont.FreeTypeFont, room: int) -> list[str]:
    out: list[str] = []
    blank = False
    for raw in text.split("\n"):
        line = raw.rstrip().replace("\t", "    ")
        if not line.strip():
            if not blank and out:
                out.append("")  # one empty row for any run of blank lines
            blank = True
            continue
        blank = False
        if _GAP.search(line.strip()):
            while font.getlength(line) > room and "  " in line:
                line = line.replace("  ", " ", 1) if line.startswith(" ") else re.sub(r"  ", " ", line, count=1)
            out.append(line)
            continue
        out.extend(_wrap(line.strip() if font.getlength(line) > room else line, font, room))
    return out


def _wrap(line: str, font: ImageFont.FreeTypeFont, room: int) -> list[str]:
    rows: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > room:
            rows.append(current)
            current = word
        else:
            current = candidate
    rows.append(current)
    return rows


def _stamp(page: Image.Image, centre: tuple[int, int], radius: int, rng: random.Random) -> None:
    """A round red seal, multiplied over the page so the signature still shows through."""
    size = 2 * radius + 8
    seal = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    red = (205, 40, 45)
    c = size // 2
    for ring_radius, thickness in ((radius, max(6, radius // 14)), (round(radius * 0.72), max(3, radius // 30))):
        draw.ellipse((c - ring_radius, c - ring_radius, c + ring_radius, c + ring_radius),
                     outline=red, width=thickness)
    star_radii = [radius * 0.3 * (1 if k % 2 == 0 else 0.45) for k in range(10)]
    star = [(c + r * math.cos(math.radians(k * 36 - 90)), c + r * math.sin(math.radians(k * 36 - 90)))
            for k, r in enumerate(star_radii)]
    draw.polygon(star, fill=red)
    for _ in range(60):  # uneven ink: the seal never prints solid
        x, y = rng.randrange(size), rng.randrange(size)
        draw.ellipse((x, y, x + 10, y + 10), fill=(255, 255, 255))
    seal = seal.rotate(rng.uniform(-20, 20), fillcolor=(255, 255, 255))
    box = (centre[0] - c, centre[1] - c)
    region = page.crop((box[0], box[1], box[0] + size, box[1] + size))
    page.paste(ImageChops.multiply(region, seal), box)


def _scanned(page: Image.Image, angle: float, specks: int, blur: float, rng: random.Random) -> Image.Image:
    paper = (242, 240, 236)
    page = Image.composite(page, Image.new("RGB", page.size, paper), page.convert("L").point(lambda v: 255 - v))
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    draw = ImageDraw.Draw(page)
    for _ in range(specks):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        size = rng.choice((1, 2, 2, 3, 4))
        shade = rng.randrange(60, 160)
        draw.ellipse((x, y, x + size, y + size), fill=(shade, shade, shade))
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    return page
