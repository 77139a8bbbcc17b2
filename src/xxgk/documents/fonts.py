"""Whether this machine can print Chinese documents: fonts and font subsetting.

WeasyPrint finds faces through fontconfig and, without a face that covers Chinese, prints
every Chinese character as an empty box, silently. Without HarfBuzz's subsetting library it
falls back to fontTools, and a PDF with Noto CJK takes half a minute (longer than the
server's request timeout). Both are Debian packages (``fonts-noto-cjk``,
``libharfbuzz-subset0``) that a fresh machine may lack, so the system check
(:mod:`xxgk.core.checks`) reports them at start and :func:`require_cjk_font` refuses to
print a document that would have lost its text.

The questions are asked of the same shared libraries WeasyPrint loads, through ``ctypes``:
importing WeasyPrint costs more than a second, and the check runs at every ``xxgk``
start; the fontconfig question costs a few milliseconds. Plain Python, no Django.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from collections.abc import Sequence

# The faces documents ask for (documents.pdf and the report's stylesheet), in order.
PREFERRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
DEBIAN_PACKAGES = ("fonts-noto-cjk", "libharfbuzz-subset0")
INSTALL_COMMAND = "apt-get install " + " ".join(DEBIAN_PACKAGES)

# The names WeasyPrint's ffi tries for each library (weasyprint/text/ffi.py), so that the
# answer here is the answer WeasyPrint gets.
FONTCONFIG_NAMES = ("libfontconfig.so.1", "libfontconfig-1", "fontconfig-1", "fontconfig",
                    "libfontconfig.1.dylib", "libfontconfig-1.dll")
HARFBUZZ_NAMES = ("libharfbuzz.so.0", "libharfbuzz-0", "harfbuzz", "harfbuzz-0.0",
                  "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
HARFBUZZ_SUBSET_NAMES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset-0", "harfbuzz-subset",
                         "harfbuzz-subset-0.0", "libharfbuzz-subset.0.dylib",
                         "libharfbuzz-subset-0.dll")
# WeasyPrint uses HarfBuzz subsetting only from this version on (hb_set_add_sorted_array).
HARFBUZZ_MIN_VERSION = (4, 1, 0)

_FC_RESULT_MATCH = 0


class MissingFontError(RuntimeError):
    """No installed font covers Chinese: a PDF would show every Chinese character as a box.

    Raised before rendering by :func:`require_cjk_font` (so by ``documents.pdf`` and the
    report's PDF); the message is for staff and says what to install. Whoever renders a
    document on request turns it into a clear page (the report downloads answer 503); a
    background job records it as the job's error.
    """


def _load(names: Sequence[str]) -> ctypes.CDLL | None:
    """The first of ``names`` that the dynamic loader opens (as WeasyPrint's ``_dlopen``)."""
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    # cffi's dlopen also resolves a bare name the way find_library does (slow: it runs
    # ldconfig, so only on this path, once per base name).
    bases = dict.fromkeys(name.removeprefix("lib").split(".")[0] for name in names)
    for base in bases:
        found = ctypes.util.find_library(base)
        if found:
            try:
                return ctypes.CDLL(found)
            except OSError:
                continue
    return None


def chinese_families(names: Sequence[str] | None = None) -> tuple[str, ...] | None:
    """The families of every installed face that covers Chinese (``fc-list :lang=zh-cn``),
    as the fontconfig WeasyPrint loads sees them now; ``None`` if fontconfig itself cannot
    be loaded (then WeasyPrint cannot run at all).

    A fresh configuration is loaded, as WeasyPrint does for each document
    (``FcInitLoadConfigAndFonts``), so ``FONTCONFIG_FILE`` and the like are honoured.
    ``names`` are the library's names to try (default ``FONTCONFIG_NAMES``).
    """
    fc = _load(FONTCONFIG_NAMES if names is None else names)
    if fc is None:
        return None
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcConfigDestroy.argtypes = [ctypes.c_void_p]
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    fc.FcObjectSetCreate.restype = ctypes.c_void_p
    fc.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    fc.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    fc.FcFontList.restype = ctypes.POINTER(_FcFontSet)
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    fc.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FcFontSet)]
    fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                      ctypes.POINTER(ctypes.c_char_p)]

    config = fc.FcInitLoadConfigAndFonts()
    pattern = fc.FcNameParse(b":lang=zh-cn")
    objects = fc.FcObjectSetCreate()
    fc.FcObjectSetAdd(objects, b"family")
    fonts = fc.FcFontList(config, pattern, objects)
    families: list[str] = []
    try:
        if fonts:
            for i in range(fonts.contents.nfont):
                face = fonts.contents.fonts[i]
                n = 0
                value = ctypes.c_char_p()
                # A face has one family name per language (Noto CJK: English and Chinese).
                while fc.FcPatternGetString(face, b"family", n, ctypes.byref(value)) \
                        == _FC_RESULT_MATCH:
                    if value.value is not None:
                        families.append(value.value.decode("utf-8", "replace"))
                    n += 1
    finally:
        if fonts:
            fc.FcFontSetDestroy(fonts)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
        if config:
            fc.FcConfigDestroy(config)
    return tuple(sorted(set(families)))


class _FcFontSet(ctypes.Structure):
    # struct _FcFontSet { int nfont; int sfont; FcPattern **fonts; } — stable since 2.0.
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p))]


def harfbuzz_subset_available(subset_names: Sequence[str] | None = None,
                              harfbuzz_names: Sequence[str] | None = None) -> bool:
    """Whether WeasyPrint will subset fonts with HarfBuzz (fast) rather than fontTools.

    Its own condition (weasyprint/pdf/fonts.py): the subset library loads and HarfBuzz is
    at least 4.1.0. The names default to ``HARFBUZZ_SUBSET_NAMES`` and ``HARFBUZZ_NAMES``.
    """
    if _load(HARFBUZZ_SUBSET_NAMES if subset_names is None else subset_names) is None:
        return False
    harfbuzz = _load(HARFBUZZ_NAMES if harfbuzz_names is None else harfbuzz_names)
    if harfbuzz is None:
        return False
    harfbuzz.hb_version_atleast.argtypes = [ctypes.c_uint, ctypes.c_uint, ctypes.c_uint]
    harfbuzz.hb_version_atleast.restype = ctypes.c_int
    return bool(harfbuzz.hb_version_atleast(*HARFBUZZ_MIN_VERSION))


def missing_font_message(families: tuple[str, ...] | None) -> str | None:
    """Why Chinese cannot be printed, for staff, or ``None`` when it can."""
    if families is None:
        return ("The fontconfig library cannot be loaded, so no PDF can be made. Install it "
                "and the Chinese fonts: apt-get install fontconfig fonts-noto-cjk")
    if not families:
        return ("No installed font covers Chinese, so every Chinese character of a PDF would "
                f"print as an empty box. Install the Noto CJK fonts: {INSTALL_COMMAND}")
    return None


# The environment fontconfig reads its configuration from; WeasyPrint loads a fresh
# configuration for every document, so a different one is a different answer.
_FONTCONFIG_ENVIRONMENT = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")
_confirmed: set[tuple[str | None, ...]] = set()
_confirming = threading.Lock()


def require_cjk_font() -> None:
    """Raise :class:`MissingFontError` unless some installed font covers Chinese.

    Called before every PDF. A positive answer is kept for the life of the process, per
    fontconfig environment (fonts are installed, not removed, under a running server), so
    a render pays the few milliseconds once; a negative one is asked again each time, so
    installing the fonts takes effect without a restart.
    """
    key = tuple(os.environ.get(name) for name in _FONTCONFIG_ENVIRONMENT)
    if key in _confirmed:
        return
    with _confirming:
        message = missing_font_message(chinese_families())
        if message is not None:
            raise MissingFontError(message)
        _confirmed.add(key)
