#!/usr/bin/env python3
"""Real-browser check of the coordinator dashboard (Specs/harness.md, "Dashboard").

    check_dashboard.py URL --screenshot OUT.png --expect-admitted N [--expect-rounds M]

Loads URL in headless Chromium twice: once with --dump-dom, to check the page as the browser built it
(at least N `tr.client.admitted` rows in `#admission`, a `#phase` element, and with M >= 1 an accuracy
curve -- the `polyline.series` in `#accuracy-chart` -- of at least M points), and once with --screenshot,
to check what it drew: the PNG is decoded here (zlib and the PNG filters, no third-party code) and must
not be blank (enough pixels differ from the background colour) and, with M >= 1, must contain pixels of
the accuracy curve's colour (the dashboard uses that colour for nothing else).

Exit status: 0 with a one-line summary; 1 with the reason the check failed; 2 when Chromium is not
installed ("chromium not installed"; the caller decides whether that is a skip). Python 3 standard
library only.
"""

import argparse
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.parse
import zlib

WIDTH, HEIGHT = 1280, 2000
# A screenshot must have at least this fraction of pixels away from the background colour. The dashboard
# with data is around 20%; a page with only a heading is under 0.2%.
MIN_INK_FRACTION = 0.01
# A pixel belongs to the curve when every channel is this close to the stroke colour (antialiasing).
COLOUR_TOLERANCE = 40
MIN_CURVE_PIXELS = 8
DEFAULT_CURVE_COLOUR = "#1f77b4"
CHROMIUM_TIMEOUT = 120


class CheckFailed(Exception):
    pass


# MARK: Chromium


def find_chromium(explicit):
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(chromium, arguments, url):
    """Runs headless Chromium with a throwaway profile; returns its stdout. A page that does not load is a
    failure (Chromium itself exits 0 then, printing "Page load failed: net::ERR_..." on stderr)."""
    with tempfile.TemporaryDirectory(prefix="check-dashboard-profile-") as profile:
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--force-device-scale-factor=1",
            f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", *arguments, url,
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise CheckFailed(f"chromium did not finish within {CHROMIUM_TIMEOUT} s: {' '.join(arguments)} {url}")
        stderr = done.stderr.decode(errors="replace")
        failed = re.search(r"Page load failed: (\S+)", stderr)
        if failed:
            raise CheckFailed(f"chromium could not load {url}: {failed.group(1)}")
        if done.returncode != 0:
            noise = ("dbus", "Fontconfig", "gpu_init", "viz_main")
            lines = [l for l in stderr.splitlines() if not any(n in l for n in noise)]
            raise CheckFailed(f"chromium exited with status {done.returncode}: {' | '.join(lines[-3:]) or 'no message'}")
        return done.stdout.decode("utf-8", errors="replace")


# MARK: DOM


class DashboardDOM(html.parser.HTMLParser):
    """What the check needs from the serialized DOM: client rows, #phase, and the accuracy curve."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, inside #accuracy-chart, inside #admission, inside #phase)
        self.clients = {"admitted": 0, "rejected": 0, "pending": 0}
        self.has_admission = False
        self.phase = None
        self.has_accuracy_chart = False
        self.curves = []  # (number of points, stroke colour) per polyline.series in #accuracy-chart

    def context(self):
        return self.stack[-1][1:] if self.stack else (False, False, False)

    def handle_starttag(self, tag, attrs):
        self.start(tag, attrs, self_closing=tag in self.VOID)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, attrs, self_closing=True)

    def start(self, tag, attrs, self_closing):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        element_id = attributes.get("id")
        in_chart, in_admission, in_phase = self.context()
        if element_id == "accuracy-chart":
            self.has_accuracy_chart = in_chart = True
        if element_id == "admission" and tag == "table":
            self.has_admission = in_admission = True
        if element_id == "phase":
            self.phase = ""
            in_phase = True
        if tag == "tr" and in_admission and "client" in classes:
            for state in self.clients:
                if state in classes:
                    self.clients[state] += 1
        if tag in ("polyline", "path") and in_chart and "series" in classes:
            if tag == "polyline":
                points = len((attributes.get("points") or "").split())
            else:  # one point per move/line command
                points = sum((attributes.get("d") or "").upper().count(c) for c in "ML")
            self.curves.append((points, attributes.get("stroke") or DEFAULT_CURVE_COLOUR))
        if not self_closing:
            self.stack.append((tag, in_chart, in_admission, in_phase))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.context()[2] and self.phase is not None:
            self.phase += data


def check_dom(dom_text, expect_admitted, expect_rounds):
    dom = DashboardDOM()
    dom.feed(dom_text)
    dom.close()
    if not dom.has_admission:
        raise CheckFailed("no table#admission in the page (is the URL the dashboard?)")
    if dom.phase is None:
        raise CheckFailed("no #phase element in the page")
    if dom.clients["admitted"] < expect_admitted:
        raise CheckFailed(
            f"expected at least {expect_admitted} tr.client.admitted rows in #admission, found {dom.clients['admitted']}")
    curve = max(dom.curves, default=None)
    if expect_rounds >= 1:
        if not dom.has_accuracy_chart:
            raise CheckFailed("no #accuracy-chart element in the page")
        if curve is None:
            raise CheckFailed("#accuracy-chart has no polyline.series (the accuracy curve)")
        if curve[0] < expect_rounds:
            raise CheckFailed(f"expected the accuracy curve to have at least {expect_rounds} points, found {curve[0]}")
    return dom, curve


# MARK: PNG


def decode_png(data):
    """Returns (width, height, channels, rows) for an 8-bit, non-interlaced PNG; rows are bytes, unfiltered."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise CheckFailed("the screenshot is not a PNG file")
    pos, header, idat = 8, None, []
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise CheckFailed("the screenshot PNG is truncated")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        raise CheckFailed("the screenshot PNG has no IHDR or IDAT chunk")
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace != 0:
        raise CheckFailed(f"unsupported PNG format (bit depth {depth}, colour type {colour_type}, interlace {interlace})")
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as error:
        raise CheckFailed(f"the screenshot PNG does not decompress: {error}")
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise CheckFailed(f"the screenshot PNG has {len(raw)} bytes of pixel data, expected {height * (stride + 1)}")
    return width, height, channels, unfilter(raw, width, height, channels)


def unfilter(raw, width, height, bpp):
    """Undoes the PNG scanline filters (None, Sub, Up, Average, Paeth) with bpp bytes per pixel."""
    stride = width * bpp
    low7 = int.from_bytes(b"\x7f" * stride, "big")
    high = int.from_bytes(b"\x80" * stride, "big")

    def add(a, b):  # bytewise (a + b) mod 256 of two equal-length byte strings, via one big integer
        x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
        return (((x & low7) + (y & low7)) ^ ((x ^ y) & high)).to_bytes(stride, "big")

    rows, prev = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1:start + 1 + stride]
        if kind == 0:
            row = bytes(line)
        elif kind == 2:
            row = add(line, prev)
        elif kind == 1:
            out = bytearray(line)
            for i in range(bpp, stride):
                out[i] = (out[i] + out[i - bpp]) & 0xFF
            row = bytes(out)
        elif kind == 3:
            out = bytearray(line)
            for i in range(stride):
                left = out[i - bpp] if i >= bpp else 0
                out[i] = (out[i] + ((left + prev[i]) >> 1)) & 0xFF
            row = bytes(out)
        elif kind == 4:
            out = bytearray(line)
            for i in range(stride):
                if i >= bpp:
                    a, c = out[i - bpp], prev[i - bpp]
                else:
                    a = c = 0
                b = prev[i]
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                out[i] = (out[i] + predictor) & 0xFF
            row = bytes(out)
        else:
            raise CheckFailed(f"the screenshot PNG has an unknown filter type {kind} in row {y}")
        rows.append(row)
        prev = row
    return rows


def hex_colour(text):
    text = text.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    try:
        return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        raise CheckFailed(f"the accuracy curve's stroke {text!r} is not a #rrggbb colour")


def near_table(target, tolerance):
    """A bytes.translate table mapping a channel value to 1 when within tolerance of target, else 0."""
    return bytes(1 if abs(v - target) <= tolerance else 0 for v in range(256))


def count_near(rows, channels, colour, tolerance):
    """Pixels whose colour channels are all within tolerance of colour (alpha ignored)."""
    tables = [near_table(c, tolerance) for c in colour]
    # Channel c of a pixel is at offset c (RGB, RGBA) or 0 (grey, grey+alpha: one value for all three).
    offsets = (0, 1, 2) if channels >= 3 else (0, 0, 0)
    total = 0
    for row in rows:
        matches = -1
        for table, offset in zip(tables, offsets):
            matches &= int.from_bytes(row[offset::channels].translate(table), "big")
        total += bin(matches).count("1")
    return total


def pixel(rows, channels, x, y):
    value = rows[y][x * channels:(x + 1) * channels]
    return tuple(value[:3]) if channels >= 3 else (value[0],) * 3


def check_screenshot(path, curve, expect_rounds):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise CheckFailed(f"chromium wrote no screenshot at {path}: {error.strerror}")
    width, height, channels, rows = decode_png(data)
    total = width * height
    # The background is the colour of most pixels in a sparse sample.
    samples = {}
    for y in range(0, height, 7):
        for x in range(0, width, 7):
            p = pixel(rows, channels, x, y)
            samples[p] = samples.get(p, 0) + 1
    background = max(samples, key=samples.get)
    ink = total - count_near(rows, channels, background, 8)
    fraction = ink / total
    if fraction < MIN_INK_FRACTION:
        raise CheckFailed(
            f"the screenshot looks blank: {fraction:.2%} of pixels differ from the background "
            f"rgb{background} (need {MIN_INK_FRACTION:.0%})")
    curve_pixels, colour_text = 0, None
    if expect_rounds >= 1:
        colour_text = curve[1] if curve else DEFAULT_CURVE_COLOUR
        curve_pixels = count_near(rows, channels, hex_colour(colour_text), COLOUR_TOLERANCE)
        if curve_pixels < MIN_CURVE_PIXELS:
            raise CheckFailed(
                f"the screenshot has {curve_pixels} pixels in the accuracy curve's colour {colour_text} "
                f"(need {MIN_CURVE_PIXELS}): the curve was not drawn in the visible area")
    return width, height, fraction, curve_pixels, colour_text


# MARK: Main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the dashboard: http://HOST:PORT/ or file:///path/page.html")
    parser.add_argument("--screenshot", required=True, metavar="OUT.png", help="where to write the screenshot")
    parser.add_argument("--expect-admitted", required=True, type=int, metavar="N",
                        help="at least N tr.client.admitted rows")
    parser.add_argument("--expect-rounds", type=int, default=0, metavar="M",
                        help="at least M points on the accuracy curve (0: the curve may be absent)")
    parser.add_argument("--chromium", help="the Chromium binary (default: chromium on PATH)")
    args = parser.parse_args()

    chromium = find_chromium(args.chromium or os.environ.get("CHROMIUM"))
    if chromium is None:
        print("chromium not installed", file=sys.stderr)
        return 2
    try:
        url = urllib.parse.urlparse(args.url)
        if url.scheme == "file" and not os.path.isfile(urllib.parse.unquote(url.path)):
            raise CheckFailed(f"no such file: {urllib.parse.unquote(url.path)}")
        if url.scheme not in ("file", "http", "https"):
            raise CheckFailed(f"not an http(s) or file URL: {args.url}")
        dom, curve = check_dom(run_chromium(chromium, ["--dump-dom"], args.url), args.expect_admitted,
                               args.expect_rounds)
        screenshot = os.path.abspath(args.screenshot)
        if os.path.exists(screenshot):
            os.remove(screenshot)
        run_chromium(chromium, [f"--screenshot={screenshot}"], args.url)
        width, height, fraction, curve_pixels, colour = check_screenshot(screenshot, curve, args.expect_rounds)
    except CheckFailed as failure:
        print(f"check_dashboard: FAIL: {failure}", file=sys.stderr)
        return 1
    points = f"accuracy curve {curve[0]} points" if curve else "no accuracy curve"
    pixels = f", {curve_pixels} px in curve colour {colour}" if colour else ""
    print(f"check_dashboard: ok: {dom.clients['admitted']} admitted, {dom.clients['rejected']} rejected, "
          f"{dom.clients['pending']} pending client rows; {points}; screenshot {width}x{height}, "
          f"{fraction:.1%} non-background{pixels} -> {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
