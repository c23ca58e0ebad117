"""Legacy encodings: TCVN3 (ABC, TCVN 5712:1993 VN3) and VNI-Windows text read as Windows-1252."""

from __future__ import annotations

import re

from vanphong.core.text.letters import BASE_VOWELS, LETTER_INFO, UNICODE_ONLY_LETTERS, compose
from vanphong.core.text.normal import nfc

#
# Both encodings are 8-bit font hacks; text typed with them and later read as Windows-1252 (old .xls/.doc
# exports) shows Latin-1 characters in place of Vietnamese letters. All code points involved are in
# U+00A0..U+00FF, where Windows-1252 and Latin-1 agree.
#
# TCVN3 has one byte per letter but no uppercase toned vowels: "hoa" fonts (.VnTimeH) draw the lowercase
# bytes as capitals. Decoding therefore yields lowercase toned vowels; legacy_to_unicode() restores the case
# inside words that are otherwise in capitals (see _restore_tcvn3_case).
#
# VNI-Windows writes an ASCII base letter followed by a mark byte ("Vieät" = "Việt"), except for a few
# letters that have a single byte (đ ơ ư and the toned i and ỵ).

_TCVN3_BYTES: dict[str, str] = {
    # letter: (grave, hook, tilde, acute, dot below) in TCVN3 as read in Windows-1252
    "a": "µ¶·¸¹",
    "ă": "»¼½¾Æ",
    "â": "ÇÈÉÊË",
    "e": "ÌÎÏÐÑ",
    "ê": "ÒÓÔÕÖ",
    "i": "×ØÜÝÞ",
    "o": "ßáâãä",
    "ô": "åæçèé",
    "ơ": "êëìíî",
    "u": "ïñòóô",
    "ư": "õö÷øù",
    "y": "úûüýþ",
}
_TCVN3_PLAIN = {
    "Ă": "¡",
    "Â": "¢",
    "Ê": "£",
    "Ô": "¤",
    "Ơ": "¥",
    "Ư": "¦",
    "Đ": "§",
    "ă": "¨",
    "â": "©",
    "ê": "ª",
    "ô": "«",
    "ơ": "¬",
    "ư": "\u00ad",  # soft hyphen
    "đ": "®",
}
_UNICODE_TO_TCVN3: dict[str, str] = dict(_TCVN3_PLAIN)
for _letter, _codes in _TCVN3_BYTES.items():
    for _tone, _code in enumerate(_codes, start=1):
        _UNICODE_TO_TCVN3[compose(_letter, _tone)] = _code
_TCVN3_TO_UNICODE: dict[str, str] = {code: letter for letter, code in _UNICODE_TO_TCVN3.items()}
# Bytes whose case is not encoded (toned vowels exist in lowercase only).
_TCVN3_CASELESS = frozenset(code for codes in _TCVN3_BYTES.values() for code in codes)

# VNI marks: lowercase mark bytes; the uppercase forms are the same letters in uppercase (ø -> Ø ...).
_VNI_TONE = ("", "ø", "û", "õ", "ù", "ï")  # indexed like TONE_MARKS
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")
_VNI_SINGLE = {"đ": "ñ", "ơ": "ô", "ư": "ö", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò", "ỵ": "î"}


def _vni_lower(letter: str) -> str:
    """VNI encoding of one lowercase Vietnamese letter (from LETTER_INFO), e.g. "ệ" -> "eä"."""
    if letter in _VNI_SINGLE:
        return _VNI_SINGLE[letter]
    base, tone = LETTER_INFO[letter]
    if base in "âêô":
        return base.replace("â", "a").replace("ê", "e").replace("ô", "o") + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    if base in "ơư":
        return _VNI_SINGLE[base] + _VNI_TONE[tone]
    return base + _VNI_TONE[tone]


_UNICODE_TO_VNI: dict[str, str] = {}
for _char, (_base, _tone) in LETTER_INFO.items():
    if _base not in BASE_VOWELS and _base != "đ":
        continue
    _encoded = _vni_lower(_char.lower())
    if _encoded == _char.lower():
        continue  # plain a e i o u y, and ì í which VNI stores as themselves
    _UNICODE_TO_VNI[_char] = _encoded.upper() if _char.isupper() else _encoded

_VNI_SINGLE_TO_UNICODE: dict[str, str] = {}
_VNI_PAIR_TO_UNICODE: dict[str, str] = {}
for _char, _encoded in _UNICODE_TO_VNI.items():
    if len(_encoded) == 1:
        _VNI_SINGLE_TO_UNICODE[_encoded] = _char
        continue
    # Accept either case for the mark byte; the base letter decides the case of the result.
    _VNI_PAIR_TO_UNICODE[_encoded[0] + _encoded[1].lower()] = _char
    _VNI_PAIR_TO_UNICODE[_encoded[0] + _encoded[1].upper()] = _char
# Some converters write ỵ as "y" + dot below like the other vowels.
for _y, _dot, _result in (("y", "ï", "ỵ"), ("Y", "Ï", "Ỵ")):
    _VNI_PAIR_TO_UNICODE.setdefault(_y + _dot, _result)
    _VNI_PAIR_TO_UNICODE.setdefault(_y + _dot.swapcase(), _result)

_ENCODINGS = ("tcvn3", "vni")


def _check_encoding(encoding: str) -> str:
    name = encoding.strip().lower()
    if name not in _ENCODINGS:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected 'tcvn3' or 'vni'")
    return name


def unicode_to_legacy(text: str, encoding: str) -> str:
    """Encode Unicode Vietnamese as TCVN3 or VNI text (as read in Windows-1252). Mainly for tests/exports.

    TCVN3 has no uppercase toned vowels, so "Ủ" is written with the byte of "ủ" (as .VnTimeH users did).
    """
    name = _check_encoding(encoding)
    text = nfc(text)
    if name == "vni":
        return "".join(_UNICODE_TO_VNI.get(char, char) for char in text)
    out: list[str] = []
    for char in text:
        code = _UNICODE_TO_TCVN3.get(char)
        if code is None and char.isupper():
            code = _UNICODE_TO_TCVN3.get(char.lower())
        out.append(code if code is not None else char)
    return "".join(out)


def _decode_vni(text: str) -> str:
    out: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        pair = _VNI_PAIR_TO_UNICODE.get(text[index : index + 2]) if index + 1 < length else None
        if pair is not None:
            out.append(pair)
            index += 2
            continue
        out.append(_VNI_SINGLE_TO_UNICODE.get(text[index], text[index]))
        index += 1
    return "".join(out)


def _decode_tcvn3(text: str) -> str:
    return "".join(_TCVN3_TO_UNICODE.get(char, char) for char in text)


def _restore_tcvn3_case(source: str, decoded: str) -> str:
    """Uppercase caseless toned vowels inside words written in capitals ("NGHÞ" -> "NGHỊ", not "NGHị").

    A word (run of letters) has its caseless letters uppercased when its other letters contain no
    lowercase letter and either at least two uppercase letters, or fewer but every neighbouring word on
    the same line is itself in capitals ("X·" in "CéNG HOµ X· HéI" -> "XÃ"). Text typed entirely in
    lowercase bytes with a .VnTimeH font cannot be told apart from lowercase text and stays lowercase.
    """
    chars = list(decoded)
    # TCVN3 maps each source character to exactly one character, so positions line up.
    words: list[tuple[int, int, int, int, bool, int]] = []  # start, end, upper, lower, caseless, line
    line = 0
    index = 0
    length = len(chars)
    while index < length:
        if chars[index] == "\n":
            line += 1
        if not chars[index].isalpha():
            index += 1
            continue
        start = index
        upper = lower = 0
        caseless = False
        while index < length and chars[index].isalpha():
            if source[index] in _TCVN3_CASELESS:
                caseless = True
            elif chars[index].isupper():
                upper += 1
            elif chars[index].islower():
                lower += 1
            index += 1
        words.append((start, index, upper, lower, caseless, line))

    def is_capitals(position: int) -> bool:
        _start, _end, upper, lower, _caseless, _line = words[position]
        return lower == 0 and upper >= 2

    for position, (start, end, upper, lower, caseless, word_line) in enumerate(words):
        if not caseless or lower:
            continue
        if upper < 2:
            neighbours = [
                other
                for other in (position - 1, position + 1)
                if 0 <= other < len(words) and words[other][5] == word_line
            ]
            if not neighbours or not all(is_capitals(other) for other in neighbours):
                continue
        for offset in range(start, end):
            if source[offset] in _TCVN3_CASELESS:
                chars[offset] = chars[offset].upper()
    return "".join(chars)


# Vietnamese syllable structure (onset, nucleus, coda; untoned, lowercase). Used only to score detection
# candidates, so it aims at telling real syllables from mis-decoded ones, not at being a full grammar.
_ONSETS = (
    "",
    *[
        "b",
        "c",
        "ch",
        "d",
        "đ",
        "g",
        "gh",
        "gi",
        "h",
        "k",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "ngh",
        "nh",
        "p",
        "ph",
        "qu",
        "r",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ],
)
_CODAS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t")
# Nucleus -> (tone positions allowed in an open syllable, in a closed one; None = cannot take a coda).
# Glide-final nuclei ("ai", "ao", "iêu" ...) never take a coda and carry the tone on their main vowel;
# "oa", "oe", "uy" accept both tone placements when open ("hoà"/"hòa") and the second vowel when closed.
_NUCLEI: dict[str, tuple[frozenset[int], frozenset[int] | None]] = {}
_FIRST, _SECOND, _THIRD, _EITHER = frozenset({0}), frozenset({1}), frozenset({2}), frozenset({0, 1})
_NONE: frozenset[int] = frozenset()
for _names, _open, _closed in (
    ("a ă â e ê i o ô ơ u ư y", _FIRST, _FIRST),
    ("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu", _FIRST, None),
    ("iêu yêu oai oay oeo uây uôi ươi ươu uya uyu", _SECOND, None),
    ("iê yê uô ươ oă uâ uê uơ", _SECOND, _SECOND),
    ("oa oe uy", _EITHER, _SECOND),
    ("uyê", _THIRD, _THIRD),
):
    for _nucleus in _names.split():
        _NUCLEI[_nucleus] = (_open, _closed)
for _nucleus in ("ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê"):
    _NUCLEI[_nucleus] = (_NONE, _NUCLEI[_nucleus][1])  # written only with a coda ("tiên", not "tiê")
_BEFORE_CH_NH = frozenset(("a", "ê", "i", "y", "oa", "uê", "uy"))
_NOT_BEFORE_C_NG = frozenset(("i", "ê", "y", "uy", "uê"))


def _spelling_ok(onset: str, nucleus: str, coda: str, tone: int, tone_at: int) -> bool:
    """Vietnamese spelling rules for one parse of a syllable (``tone_at``: index in the nucleus)."""
    rule = _NUCLEI.get(nucleus)
    if rule is None:
        return False
    positions = rule[1] if coda else rule[0]
    if positions is None or not positions or (tone and tone_at not in positions):
        return False
    first = nucleus[0]
    if onset in ("k", "gh", "ngh") and first not in ("ieêy" if onset == "k" else "ieê"):
        return False  # k, gh, ngh only before i, e, ê (k also before y)
    if onset in ("c", "ng") and first in "ieêy":
        return False  # ... and c, ng never there
    if onset == "g" and first in "eêy":
        return False  # "g" + i is the "gi" onset ("gì"); e/ê need "gh"
    if onset == "qu" and first in "ouư":
        return False  # the u of "qu" is already the glide
    if coda in ("ch", "nh") and nucleus not in _BEFORE_CH_NH:
        return False
    if coda in ("c", "ng") and nucleus in _NOT_BEFORE_C_NG:
        return False
    # Syllables closed by a stop consonant only take the sắc (4) or nặng (5) tone.
    return not (coda in ("c", "ch", "p", "t") and tone not in (4, 5))


def _is_syllable(word: str, check_case: bool = True) -> bool:
    """Whether ``word`` is one well-formed Vietnamese syllable (lower, Title or UPPER case if checked)."""
    if check_case and not (word.islower() or word.isupper() or word.istitle()):
        return False
    bases: list[str] = []
    tone = 0
    tone_index = -1
    for index, char in enumerate(word.lower()):
        info = LETTER_INFO.get(char)
        if info is None:
            return False
        if info[1]:
            if tone:
                return False
            tone, tone_index = info[1], index
        bases.append(info[0])
    syllable = "".join(bases)
    for onset in _ONSETS:
        if not syllable.startswith(onset):
            continue
        for coda in _CODAS:
            end = len(syllable) - len(coda)
            if end <= len(onset) or not syllable.endswith(coda):
                continue
            nucleus = syllable[len(onset) : end]
            if _spelling_ok(onset, nucleus, coda, tone, tone_index - len(onset)):
                return True
    return False


_LEGACY_WORD_RE = re.compile("[A-Za-z\u00a1-\u00ff]+")


def _score(words: list[str], decode: str | None) -> tuple[int, int]:
    """(valid - invalid, valid) syllable counts for the words decoded with one candidate encoding."""
    valid = 0
    for word in words:
        if decode == "tcvn3":
            word = _decode_tcvn3(word)
        elif decode == "vni":
            word = _decode_vni(word)
        # TCVN3 cannot encode uppercase toned vowels, so its decodings may mix case legitimately.
        valid += _is_syllable(word, check_case=decode != "tcvn3")
    return 2 * valid - len(words), valid


def detect_legacy_encoding(text: str) -> str | None:
    """Guess whether ``text`` is TCVN3 ("tcvn3") or VNI-Windows ("vni") read as Windows-1252.

    Returns None for plain ASCII and for text that is already Unicode Vietnamese. Every word holding a
    character in U+00A1..U+00FF is decoded with each candidate and checked against Vietnamese syllable
    structure (onset, nucleus, coda, one tone, stop codas only with sắc/nặng); a legacy encoding wins only
    if it explains strictly more words than reading the text as it is. On a tie TCVN3 is preferred.
    """
    if any(char in UNICODE_ONLY_LETTERS for char in text):
        return None
    words = [word for word in _LEGACY_WORD_RE.findall(text) if any(ord(char) > 0x7F for char in word)]
    if not words:
        return None
    baseline = _score(words, None)
    best: str | None = None
    best_score = baseline
    for name in _ENCODINGS:
        score = _score(words, name)
        if score[1] > 0 and score > best_score:
            best, best_score = name, score
    return best


def legacy_to_unicode(text: str, encoding: str | None = None) -> str:
    """Convert TCVN3 or VNI text (read as Windows-1252) to NFC Unicode.

    With ``encoding=None`` the encoding is detected and text that is not legacy comes back unchanged.
    TCVN3 cannot encode uppercase toned vowels; they come back lowercase except inside words written in
    capitals, which are restored (see _restore_tcvn3_case).
    """
    name = detect_legacy_encoding(text) if encoding is None else _check_encoding(encoding)
    if name is None:
        return text
    if name == "vni":
        return nfc(_decode_vni(text))
    return nfc(_restore_tcvn3_case(text, _decode_tcvn3(text)))
