#!/usr/bin/env python3
"""The user guide (docs/guide/HUONG-DAN.md) as HTML compiled into the server.

usage: guide_html.py GUIDE.md OUTPUT.c OUTPUT.h
       guide_html.py --html GUIDE.md          (print the HTML, for a look)

Reads the small part of Markdown the guide uses - headings (#, ##, ###),
paragraphs, lists (-, *, 1.), a quote (>) as a tip, an image alone on its
line (![text](img/NAME.png)), and inline **strong**, *emphasis*, `code`
and [links](url) - and writes it as HTML for /guide (pages_guide.c):
every text escaped, headings given the ids GitHub gives them (so the
guide's own table of contents works on GitHub and in the app), images
pointed at /static/guide/NAME.png (served from docs/guide/img/).  Anything
else - an image outside img/, a link to something other than a heading of
the guide, a page of the app or the web, raw HTML - stops the build with
the line it is on.  --html also checks that every image is there.  Python's standard
library only.  Do not edit the output.
"""
import html
import os
import re
import sys

IMG_URL = "/static/guide/"
IMAGE = re.compile(r"^!\[([^\]]*)\]\(img/([a-z0-9][a-z0-9-]*\.png)\)$")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
ORDERED = re.compile(r"^(\d+)\.\s+(.*)$")
UNORDERED = re.compile(r"^[-*]\s+(.*)$")
HEADING = re.compile(r"^(#{1,3})\s+(.*)$")


class GuideError(Exception):
    pass


def slug(text):
    """GitHub's anchor of a heading: lower case, punctuation dropped,
    spaces to hyphens, letters with their diacritics kept."""
    text = re.sub(r"[*`]", "", text).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def link_target(url, where):
    if url.startswith("#") or (url.startswith("/") and not url.startswith("//")):
        return url
    if re.match(r"^https://[a-z0-9.-]+(/[^\s]*)?$", url):
        return url
    raise GuideError(f"{where}: liên kết '{url}' không được phép (chỉ #mục, /trang hoặc https://)")


def inline(text, where):
    """Escape, then the inline marks; links are taken out first so that
    their URLs are not touched by the other marks."""
    if "<" in text and re.search(r"<[a-zA-Z/!]", text):
        raise GuideError(f"{where}: không dùng HTML trong hướng dẫn")
    parts = []
    pos = 0
    for m in LINK.finditer(text):
        parts.append(("text", text[pos:m.start()]))
        parts.append(("link", m.group(1), link_target(m.group(2), where)))
        pos = m.end()
    parts.append(("text", text[pos:]))

    def marks(s):
        s = html.escape(s, quote=True)
        s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
        s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
        s = re.sub(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])", r"<em>\1</em>", s)
        return s

    out = []
    for p in parts:
        if p[0] == "text":
            out.append(marks(p[1]))
        else:
            out.append(f'<a href="{html.escape(p[2], quote=True)}">{marks(p[1])}</a>')
    return "".join(out)


def convert(md, img_dir=None, name="HUONG-DAN.md"):
    """Markdown text -> (HTML, [image names]).  img_dir, when given, must
    hold every image named."""
    out = []
    images = []
    para = []
    items = None   # (tag, [item text]) of the list being read
    quote = []
    ids = set()

    def flush_para():
        if para:
            out.append("<p>" + inline(" ".join(para), para_where[0]) + "</p>")
            para.clear()

    def flush_list():
        nonlocal items
        if items:
            tag, rows = items
            out.append(f"<{tag}>")
            for text, where in rows:
                out.append("<li>" + inline(text, where) + "</li>")
            out.append(f"</{tag}>")
        items = None

    def flush_quote():
        if quote:
            out.append('<aside class="guide-tip"><p>' + inline(" ".join(q for q, _ in quote), quote[0][1])
                       + "</p></aside>")
            quote.clear()

    def flush():
        flush_para()
        flush_list()
        flush_quote()

    para_where = [""]
    for n, raw in enumerate(md.splitlines(), 1):
        where = f"{name}:{n}"
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("<"):
            raise GuideError(f"{where}: không dùng HTML trong hướng dẫn")
        m = HEADING.match(stripped)
        if m:
            flush()
            level = len(m.group(1))
            anchor = slug(m.group(2))
            if anchor in ids:
                raise GuideError(f"{where}: hai đề mục cùng tên '{m.group(2)}'")
            ids.add(anchor)
            out.append(f'<h{level} id="{html.escape(anchor, quote=True)}">'
                       f"{inline(m.group(2), where)}</h{level}>")
            continue
        if stripped.startswith("!["):
            m = IMAGE.match(stripped)
            if not m:
                raise GuideError(f"{where}: ảnh phải là ![mô tả](img/TÊN.png) trên một dòng riêng")
            flush()
            alt, file = m.group(1), m.group(2)
            if not alt.strip():
                raise GuideError(f"{where}: ảnh {file} cần lời mô tả")
            if img_dir is not None and not os.path.isfile(os.path.join(img_dir, file)):
                raise GuideError(f"{where}: không có ảnh img/{file}")
            images.append(file)
            out.append(f'<figure class="guide-shot"><img src="{IMG_URL}{file}" alt="{html.escape(alt, quote=True)}"'
                       f' loading="lazy"><figcaption>{inline(alt, where)}</figcaption></figure>')
            continue
        if stripped.startswith(">"):
            flush_para()
            flush_list()
            quote.append((stripped[1:].strip(), where))
            continue
        m = ORDERED.match(stripped) or UNORDERED.match(stripped)
        if m and not line.startswith("  "):
            flush_para()
            flush_quote()
            tag = "ol" if ORDERED.match(stripped) else "ul"
            text = m.group(2) if tag == "ol" else m.group(1)
            if items is None or items[0] != tag:
                flush_list()
                items = (tag, [])
            items[1].append((text, where))
            continue
        if items is not None and line.startswith("  "):
            # a list item's next line
            text, w = items[1][-1]
            items[1][-1] = (text + " " + stripped, w)
            continue
        flush_list()
        flush_quote()
        if not para:
            para_where[0] = where
        para.append(stripped)
    flush()
    return "\n".join(out) + "\n", images


def c_bytes(data):
    rows = []
    for j in range(0, len(data), 20):
        rows.append("  " + ", ".join(str(b) for b in data[j:j + 20]) + ",")
    return "\n".join(rows)


def main(argv):
    if len(argv) == 3 and argv[1] == "--html":
        path = argv[2]
        try:
            text, _ = convert(open(path, encoding="utf-8").read(),
                              os.path.join(os.path.dirname(path), "img"), os.path.basename(path))
        except GuideError as e:
            sys.stderr.write(f"guide_html.py: {e}\n")
            return 1
        sys.stdout.write(text)
        return 0
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    src, out_c, out_h = argv[1:]
    try:
        # images are not looked for here: a new one is taken by
        # tools/guide-shots.mjs with the server built from this guide
        text, _ = convert(open(src, encoding="utf-8").read(), None, os.path.basename(src))
    except GuideError as e:
        sys.stderr.write(f"guide_html.py: {e}\n")
        return 1
    data = text.encode("utf-8")
    header = os.path.basename(out_h)
    with open(out_c, "w", encoding="utf-8") as f:
        f.write("/* generated by tools/guide_html.py from docs/guide/HUONG-DAN.md - do not edit */\n")
        f.write('#include <stddef.h>\n\n#include "pages/%s"\n\n' % header)
        f.write("static const unsigned char data[] = {\n%s\n  0\n};\n" % c_bytes(data))
        f.write("const char *const guide_html = (const char *)data;\n")
        f.write("const size_t guide_html_len = %d;\n" % len(data))
    guard = "GIAPRANH_" + re.sub(r"[^A-Z0-9]", "_", header.upper())
    with open(out_h, "w", encoding="utf-8") as f:
        f.write("/* generated by tools/guide_html.py - do not edit */\n")
        f.write(f"#ifndef {guard}\n#define {guard}\n\n#include <stddef.h>\n\n")
        f.write("/* the guide as HTML (its own text escaped), its length */\n")
        f.write("extern const char *const guide_html;\nextern const size_t guide_html_len;\n\n#endif\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
