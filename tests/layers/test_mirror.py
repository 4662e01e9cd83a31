"""Tests mirror the tree (issue 14.6): every module of the layers that hold
the system's rules - domain, store, report, text - has its unit test
program tests/unit/LAYER/test_MODULE.c, and tests/meson.build builds it.

A module is a public header (src/LAYER/MODULE.h); private headers
(*_int.h), the reader's key list (*_keys.h) and plain type headers
(actor.h) have no code of their own to test."""
import os
import re

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAYERS = ("domain", "store", "report", "text")
NO_CODE = re.compile(r"(_int|_keys)\.h$|^actor\.h$")


def modules():
    for layer in LAYERS:
        for name in sorted(os.listdir(os.path.join(REPO, "src", layer))):
            if name.endswith(".h") and not NO_CODE.search(name):
                yield layer, name[:-2]


def built_tests():
    with open(os.path.join(REPO, "tests", "meson.build"), encoding="utf-8") as f:
        return set(re.findall(r"'([a-z]+/test_[a-z0-9_]+)'", f.read()))


@pytest.mark.parametrize("layer,module", list(modules()))
def test_module_has_its_test(layer, module):
    path = os.path.join("tests", "unit", layer, f"test_{module}.c")
    assert os.path.isfile(os.path.join(REPO, path)), f"src/{layer}/{module}.h: no {path}"
    assert f"{layer}/test_{module}" in built_tests(), f"{path} is not in tests/meson.build"


def test_the_layers_have_modules():
    assert len(list(modules())) >= 20
