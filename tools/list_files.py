#!/usr/bin/env python3
"""Print the files of a directory with a given suffix, sorted, one per line
(meson has no glob; migrations are applied in this order)."""
import os
import sys

d, suffix = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(d)):
    if name.endswith(suffix):
        print(os.path.join(d, name))
