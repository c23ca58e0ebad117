"""Vietnamese text tools for the records system (the public names of the package's modules).

Pure Python (no Django imports) so it can be used from models, forms, management commands and tests:

* normalisation: :func:`nfc`, :func:`clean`, :func:`normalise_tone_placement`;
* search folding: :func:`fold`;
* collation keys that sort correctly under any database collation: :func:`sort_key`, :func:`name_sort_key`;
* person names: :func:`split_full_name`;
* numbers and money: :func:`number_in_words`, :func:`amount_in_words`, :func:`format_number`,
  :func:`format_money`;
* administrative dates: :func:`date_phrase`, :func:`date_line`;
* legacy encodings (TCVN3/ABC and VNI-Windows text that was read as Windows-1252):
  :func:`detect_legacy_encoding`, :func:`legacy_to_unicode`, :func:`unicode_to_legacy`.
"""

from vanphong.core.text.dates import date_line, date_phrase
from vanphong.core.text.legacy import detect_legacy_encoding, legacy_to_unicode, unicode_to_legacy
from vanphong.core.text.normal import CONTROLS_RE, clean, fold, nfc, normalise_tone_placement
from vanphong.core.text.numbers import amount_in_words, format_money, format_number, number_in_words
from vanphong.core.text.sorting import name_sort_key, sort_key, split_full_name

__all__ = [
    "CONTROLS_RE",
    "amount_in_words",
    "clean",
    "date_line",
    "date_phrase",
    "detect_legacy_encoding",
    "fold",
    "format_money",
    "format_number",
    "legacy_to_unicode",
    "name_sort_key",
    "nfc",
    "normalise_tone_placement",
    "number_in_words",
    "sort_key",
    "split_full_name",
    "unicode_to_legacy",
]
