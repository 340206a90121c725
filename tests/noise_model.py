"""The damage real Vietnamese documents suffer before chidao reads them, as pure functions.

Three sources of damage reach the parser, and each function here imitates one:

- `strip_diacritics`: a typist without a Vietnamese keyboard (Unikey, Telex) types
  "Nghi quyet so 57-NQ/TW ngay 22/12/2024"; e-mail gateways and old SMS-era tools do the same
  to text that had its marks.
- `ocr_damage`: a scan read by an OCR engine with no Vietnamese model (Tesseract's `eng`,
  a copier's built-in OCR). It knows Latin-1 (é, ó, á) but not ơ, ư, ă, the hook above, the
  dot below or two stacked marks, so it drops them, keeps the nearest Latin-1 letter, or reads
  the marked letter as another glyph. Every kind of damage below is seen in
  corpus/seeds/004_9393e3e2ef94a598.txt, a letter that went through such an engine.
- `wrap_lines`: text copied out of a PDF, which has a line break wherever the printed line
  ended, with long references cut after their hyphen ("57-" / "NQ/TW"), as in
  corpus/seeds/001_bd32b1ea4bdd5c5a.txt.

Everything random takes a seeded `random.Random`; there is no module state, so a seed and an
input always give the same output.
"""
from __future__ import annotations

import random
import re
import unicodedata

# The combining marks Vietnamese writes: the five tones and the three vowel modifiers.
_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TONES = frozenset(_GRAVE + _ACUTE + _TILDE + _HOOK + _DOT)
_MODIFIERS = {_CIRCUMFLEX: "circumflex", _BREVE: "breve", _HORN: "horn"}
_VIETNAMESE_MARKS = frozenset(_TONES | set(_MODIFIERS))


def strip_diacritics(text: str) -> str:
    """Every Vietnamese diacritic removed, đ → d, Đ → D; case and every other character kept.

    What a typist without a Vietnamese keyboard produces. Only the eight marks Vietnamese
    writes are removed (ü's diaeresis and ç's cedilla stay), so ASCII text, digits and
    punctuation come out as they went in.
    """
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if c not in _VIETNAMESE_MARKS)
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


# ---------------------------------------------------------------------------------------------
# OCR without a Vietnamese model
# ---------------------------------------------------------------------------------------------

# What the engine reads for a marked vowel whose marks it gets wrong, as (output, weight).
# Every reading is one seen in seed 004 (the printed word in brackets); the weights of ê, ô
# and ơ, the commonest, are the shares counted there by hand, the others are rough. A vowel
# with one mark mostly just loses it; a vowel with two stacked marks (ế, ổ, ờ, ữ) is a blob
# the engine reads as another glyph far more often.
_ONE_MARK: dict[str, tuple[tuple[str, float], ...]] = {
    "a": (("a", 8), ("á", 1), ("à", 1)),  # ngay (ngày), Chinh tri (trị); Latin-1 keeps á, à
    "ă": (("a", 9), ("i", 1)),  # Vin phong (Văn phòng): the breve read as the dot of an i
    "â": (("a", 8), ("i", 2)),  # tim (tâm)
    "e": (("e", 7), ("é", 3)),
    "ê": (("e", 3), ("é", 7)),  # tuyén (tuyên), nguyén (nguyên), trén (trên): ê read as é
    "i": (("i", 9), ("í", 1)),
    "o": (("o", 8), ("ó", 1), ("ò", 1)),
    "ô": (("o", 6), ("d", 3), ("é", 1), ("6", 0.3)),  # cong, cdng, céng (công)
    "ơ": (("o", 7), ("a", 1), ("é", 1), ("g", 1)),  # co quan (cơ quan)
    "u": (("u", 6), ("a", 1.5), ("ii", 1), ("y", 1.5)),  # caa (của), phii (phủ), vy (vụ), ty (ủy)
    "ư": (("u", 6), ("w", 1), ("ir", 1), ("i", 0.5)),  # tu duy (tư duy)
    "y": (("y", 9), ("ý", 1)),
}
_STACKED: dict[str, tuple[tuple[str, float], ...]] = {
    "ă": (("a", 6), ("á", 1.5), ("i", 1.5)),
    "â": (("a", 5), ("á", 2), ("i", 2)),  # cip (cấp), ting (tầng)
    # tuyén (tuyển), quyét (quyết), hién (hiện), Ké hoach (Kế hoạch), nghg (nghệ)
    "ê": (("e", 2), ("é", 8), ("g", 0.3)),
    # s6 (số), d6i (đổi), qudc (quốc), dbi (đổi), quéc (quốc), so6 (số)
    "ô": (("o", 3), ("6", 2.5), ("é", 2), ("d", 2), ("ó", 0.3), ("b", 0.5), ("o6", 0.3)),
    # nudc / nuéc (nước), méi / mai (mới), thudng (thường), lgi (lợi), gigi (giới), 16n (lớn)
    "ơ": (("o", 2.5), ("é", 2.5), ("d", 3), ("g", 1), ("a", 1), ("6", 0.5)),
    # ctr (cứ), tng (ứng), thic (thức), nhitng (những), dir / dix (dữ), guri (gửi)
    "ư": (("u", 3), ("ir", 1.5), ("tr", 1), ("t", 1), ("i", 1.5), ("it", 1), ("ix", 0.3)),
}
# The ư of "ươ" leans on the ơ beside it and is read as a plain u: truéc (trước), nudc
# (nước), thuong (thương); sometimes as w: twdng (tưởng), chuwong (chương).
_U_HORN_BEFORE_O = (("u", 8), ("w", 1), ("uw", 0.5))
# x& hoi, x4 hoi (xã hội): the tilde over an a read as an ampersand or a 4.
_TILDE_A = (("&", 1.0), ("4", 1.0))
# HQI (HỘI), POAN (ĐOÀN), LBLD (LĐLĐ): capitals have fewer shapes to confuse.
_CAPITAL_MISREADS: dict[str, tuple[tuple[str, float], ...]] = {
    "ô": (("O", 8), ("Q", 1.5), ("Ó", 0.5)),
    "ơ": (("O", 8), ("Q", 1.5), ("Ó", 0.5)),
}
_CAPITAL_D = (("D", 5), ("P", 3.5), ("B", 1.5))  # Pang (Đảng), LDLP, LBLD (LĐLĐ)
# S6:671/LBLD, Nghi quyét so6 57-NQ/TW, s 2653/KH-UBND: "số" is the word before every number,
# so it is the word the parser leans on most; seed 004 spells it seven ways.
_SO_MISREADS = (("so", 4), ("s6", 4), ("so6", 1), ("sé", 1), ("sb", 0.5), ("sd", 0.5), ("s", 0.5))
# 1am (làm), 1a (là), Ia (là), Iy (lý), l1ap (lập): l and I and 1 are one stroke.
_L_MISREADS = (("1", 3.0), ("I", 1.0))
# A misread digit: rare, because a number or a date is printed in the clearest glyphs.
_DIGIT_MISREADS = {"0": "o", "1": "l", "2": "Z", "3": "8", "4": "A", "5": "S", "6": "b",
                   "7": "1", "8": "B", "9": "g"}

# How often each damage happens, per chance to happen, at rate 1.0. At rate 0.9 (the default)
# a document reads like seed 004.
_L_SHARE = 0.05  # of every l
_I_SHARE = 0.01  # of every i, read as l
_GLUE_SHARE = 0.03  # of line breaks lost: two lines, or a header's two columns, on one line
_BREAK_SHARE = 0.03  # of lines cut in two at a space
_INDENT_SHARE = 0.03  # of lines given a stray leading space (" va khuyén khich" in 004)
_DOUBLE_SPACE_SHARE = 0.02  # of spaces doubled
_LOST_SPACE_SHARE = 0.005  # of spaces lost (Ban Tuyén gido &Déan van: words run together)
DIGIT_RATE = 0.02  # of numbers with one digit misread; independent of `rate`

_TOKEN = re.compile(r"\d+|[^\W\d_]+|.", re.DOTALL)


def _pick(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    outputs = [c for c, _ in choices]
    weights = [w for _, w in choices]
    return rng.choices(outputs, weights)[0]


def _vowel_family(char: str) -> tuple[str, str | None, bool] | None:
    """("ô", tone mark, is capital) for a marked Vietnamese vowel; None for anything else."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if base.lower() not in "aeiouy" or not marks or any(m not in _VIETNAMESE_MARKS for m in marks):
        return None
    family = base.lower()
    for mark in marks:
        if mark in _MODIFIERS:
            family = unicodedata.normalize("NFC", family + mark)
    tone = next((m for m in marks if m in _TONES), None)
    return family, tone, base.isupper()


def _damage_letter(char: str, following: str, rng: random.Random, rate: float) -> str:
    if char in "đĐ":
        if rng.random() >= rate:
            return char
        return "d" if char == "đ" else _pick(rng, _CAPITAL_D)
    if char == "l":
        return _pick(rng, _L_MISREADS) if rng.random() < _L_SHARE * rate else char
    if char == "i":
        return "l" if rng.random() < _I_SHARE * rate else char
    found = _vowel_family(char)
    if found is None or rng.random() >= rate:
        return char
    family, tone, is_capital = found
    if is_capital:
        bare = strip_diacritics(char)
        latin1 = unicodedata.normalize("NFC", bare + _ACUTE)  # Ế → É, Ử → Ú
        return _pick(rng, _CAPITAL_MISREADS.get(family, ((bare, 9.0), (latin1, 1.0))))
    if family == "ư" and following and _vowel_family(following.lower()) and \
            _vowel_family(following.lower())[0] == "ơ":
        return _pick(rng, _U_HORN_BEFORE_O)
    choices = _STACKED[family] if tone and family in _STACKED else _ONE_MARK[family]
    if family == "a" and tone == _TILDE:
        choices = choices + _TILDE_A
    return _pick(rng, choices)


def _damage_word(word: str, rng: random.Random, rate: float) -> str:
    if word in ("số", "Số") and rng.random() < rate:
        damaged = _pick(rng, _SO_MISREADS)
        return damaged.capitalize() if word[0].isupper() else damaged
    return "".join(_damage_letter(c, word[i + 1:i + 2], rng, rate) for i, c in enumerate(word))


def _damage_number(digits: str, rng: random.Random, digit_rate: float) -> str:
    if rng.random() >= digit_rate:
        return digits
    at = rng.randrange(len(digits))
    return digits[:at] + _DIGIT_MISREADS[digits[at]] + digits[at + 1:]


def _damage_space(rng: random.Random, rate: float) -> str:
    roll = rng.random()
    if roll < _LOST_SPACE_SHARE * rate:
        return ""
    if roll < (_LOST_SPACE_SHARE + _DOUBLE_SPACE_SHARE) * rate:
        return "  "
    return " "


def _damage_lines(text: str, rng: random.Random, rate: float) -> str:
    """Glue a few lines to the next, cut a few in two, indent a few; most stay as they were."""
    out: list[str] = []
    for line in text.split("\n"):
        if rng.random() < _BREAK_SHARE * rate:
            spaces = [m.start() for m in re.finditer(" ", line)]
            if spaces:
                at = rng.choice(spaces)
                out.extend([line[:at], line[at + 1:]])
            else:
                out.append(line)
        else:
            out.append(line)
        if rng.random() < _INDENT_SHARE * rate and out[-1]:
            out[-1] = " " + out[-1]
    glued = [out[0]] if out else []
    for line in out[1:]:
        if glued[-1] and line and rng.random() < _GLUE_SHARE * rate:
            glued[-1] = f"{glued[-1]} {line.lstrip()}"
        else:
            glued.append(line)
    return "\n".join(glued)


def ocr_damage(text: str, rng: random.Random, rate: float = 0.9, *, digit_rate: float = DIGIT_RATE) -> str:
    """The text as an OCR engine without a Vietnamese model reads it off a scan.

    `rate` is the share of marked letters (and of đ/Đ, and of the word "số") that come out
    wrong: dropped marks, the nearest Latin-1 letter (ế → é, ờ → ò), or another glyph
    (số → s6/so6, đ → d, Đ → D/P/B, ư → ir/tr, ã → &). The smaller damages scale with it:
    l → 1/I and i → l, lost or added line breaks, stray indents, doubled or lost spaces.
    Numbers are damaged apart from `rate`, one number in fifty by default, because a
    parser that cannot read a misread digit is not at fault and a noise model that destroys
    every date measures nothing. The default, 0.9, makes a document look like seed 004.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must lie in [0, 1], not {rate}")
    pieces: list[str] = []
    for token in _TOKEN.finditer(unicodedata.normalize("NFC", text)):
        piece = token.group(0)
        if piece.isdigit() and piece.isascii():
            pieces.append(_damage_number(piece, rng, digit_rate))
        elif piece[0].isalpha():
            pieces.append(_damage_word(piece, rng, rate))
        elif piece == " ":
            pieces.append(_damage_space(rng, rate))
        else:
            pieces.append(piece)
    return _damage_lines("".join(pieces), rng, rate)


# ---------------------------------------------------------------------------------------------
# PDF copy: hard-wrapped lines
# ---------------------------------------------------------------------------------------------

# A line with a tab or a run of spaces is laid out in columns (issuer beside motto, "Nơi
# nhận" beside the signature); a PDF keeps such lines as they are, so they are not wrapped.
_COLUMNS = re.compile(r"\t| {3,}")
_BREAKABLE_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def wrap_lines(text: str, width: int) -> str:
    """Every prose line longer than `width` hard-wrapped at the last space that fits.

    A word that does not fit is cut after a hyphen inside it when the part up to the hyphen
    fits, as word processors and PDF layout do: "57-NQ/TW" ends one line with "57-" and starts
    the next with "NQ/TW". So references are cut only sometimes: when a hyphen falls at the
    end of a line. Lines already within `width` are kept, so text that is wrapped already
    changes little.
    """
    if width < 1:
        raise ValueError(f"width must be positive, not {width}")
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or _COLUMNS.search(line.strip()):
            out.append(line)
        else:
            out.extend(_wrap_line(line, width))
    return "\n".join(out)


def _wrap_line(line: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current.strip():
            current = candidate
            continue
        room = width - len(current) - 1
        cut = max((m.end() for m in _BREAKABLE_HYPHEN.finditer(word) if m.end() <= room), default=0)
        if cut:
            lines.append(f"{current} {word[:cut]}")
            current = word[cut:]
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


__all__ = ["DIGIT_RATE", "ocr_damage", "strip_diacritics", "wrap_lines"]
