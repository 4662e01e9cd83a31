"""
The deployed build (`make run`: build-release) is hardened and has no
sanitizer: what `checksec` would say, read with binutils' readelf.

The binary is $GIAPRANH_RELEASE_BIN, else build-release/giapranh; the tests
are skipped (and say so) when it has not been built.  tools/check-buildtypes.sh
runs them on the build it makes, so `make test` checks them every time.

  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/build
"""
import json
import os
import re
import shutil
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("GIAPRANH_RELEASE_BIN",
                     os.path.join(REPO, "build-release", "giapranh"))
if not os.path.isabs(BIN):
    BIN = os.path.join(REPO, BIN)


def readelf(*args):
    p = subprocess.run(["readelf", "-W", *args, BIN], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture(scope="module")
def elf():
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"no release build at {BIN} (make run, or "
                    "tools/check-buildtypes.sh, builds one)")
    if shutil.which("readelf") is None:
        pytest.fail("readelf (binutils) is missing")
    dyn_syms = set()
    for line in readelf("--dyn-syms").splitlines():
        f = line.split()
        if len(f) >= 8 and f[0].endswith(":"):
            dyn_syms.add(f[7].split("@")[0])
    return {"header": readelf("-h"), "dynamic": readelf("-d"),
            "segments": readelf("-l"), "dyn_syms": dyn_syms}


def segment_flags(elf, name):
    """The flags (R, RW, RWE…) of a program header, None when absent."""
    for line in elf["segments"].splitlines():
        f = line.split()
        if f and f[0] == name:
            # Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align
            return "".join(f[6:-1])
    return None


def pie(elf):
    return "DYN" in re.search(r"Type:\s+(\S+)", elf["header"]).group(1) and \
        re.search(r"FLAGS_1\).*\bPIE\b", elf["dynamic"]) is not None


def bind_now(elf):
    return re.search(r"\(FLAGS\).*\bBIND_NOW\b", elf["dynamic"]) is not None or \
        re.search(r"\(FLAGS_1\).*\bNOW\b", elf["dynamic"]) is not None


def relro(elf):
    return segment_flags(elf, "GNU_RELRO") is not None


def stack_protector(elf):
    return "__stack_chk_fail" in elf["dyn_syms"]


def fortified(elf):
    # glibc's checked variants replace the calls _FORTIFY_SOURCE can size
    return sorted(s for s in elf["dyn_syms"] if re.fullmatch(r"__\w+_chk", s)
                  and s != "__stack_chk_fail")


def no_exec_stack(elf):
    flags = segment_flags(elf, "GNU_STACK")
    return flags is not None and "E" not in flags


def sanitizer_symbols(elf):
    return sorted(s for s in elf["dyn_syms"]
                  if s.startswith(("__asan_", "__ubsan_", "__lsan_", "__tsan_")))


PROPERTIES = [
    # (name, check, what a failure means)
    ("PIE", pie, "not position independent (-Db_pie=true)"),
    ("full RELRO: BIND_NOW", bind_now, "lazy binding (-Wl,-z,now)"),
    ("full RELRO: GNU_RELRO", relro, "no read-only relocations (-Wl,-z,relro)"),
    ("stack protector", stack_protector, "no __stack_chk_fail (-fstack-protector-strong)"),
    ("_FORTIFY_SOURCE", lambda e: len(fortified(e)) > 0, "no __*_chk calls"),
    ("stack not executable", no_exec_stack, "GNU_STACK missing or executable"),
    ("no sanitizer runtime", lambda e: not sanitizer_symbols(e), "sanitizer symbols"),
]


@pytest.mark.parametrize("name,check,meaning", PROPERTIES, ids=[p[0] for p in PROPERTIES])
def test_release_binary_is_hardened(elf, name, check, meaning):
    assert check(elf), f"{BIN}: {name}: {meaning}; sanitizer symbols " \
        f"{sanitizer_symbols(elf)[:5]}, fortified {fortified(elf)[:5]}"


def test_release_build_options():
    """meson's record of the build beside the binary: optimised, hardened,
    no sanitizer (the options `make run` sets up)."""
    info = os.path.join(os.path.dirname(BIN), "meson-info", "intro-buildoptions.json")
    if not os.access(BIN, os.X_OK) or not os.path.exists(info):
        pytest.skip(f"no meson build beside {BIN}")
    with open(info, encoding="utf-8") as f:
        opts = {o["name"]: o["value"] for o in json.load(f)}
    assert opts["optimization"] in ("2", "3"), opts["optimization"]
    assert opts["b_sanitize"] == "none", opts["b_sanitize"]
    assert opts["b_pie"] is True, opts["b_pie"]
    assert opts["hardening"] is True, opts["hardening"]
    assert opts["werror"] is True, opts["werror"]
