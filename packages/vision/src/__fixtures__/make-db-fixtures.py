"""Writes db-postprocess.json: DB (Differentiable Binarization) post-processing of synthetic
probability maps, computed with the libraries PaddleOCR's DBPostProcess uses (OpenCV
findContours / minAreaRect / boxPoints / fillPoly / mean, shapely for area and length,
pyclipper for the unclip offset), following its documented steps (quad boxes, score mode fast).

Not run by the tests. To regenerate (Debian): apt-get install python3-opencv python3-pyclipper
python3-shapely && /usr/bin/python3 make-db-fixtures.py > db-postprocess.json.

Maps hold values k / 100 (stored as the integers k, run-length encoded as [k, count, ...]) so
that both sides see the same float32s.
"""
import json
import math
import random

import cv2
import numpy as np
import pyclipper
from shapely.geometry import Polygon

THRESH, BOX_THRESH, UNCLIP_RATIO, MIN_SIZE, MAX_CANDIDATES = 0.3, 0.6, 1.5, 3, 1000


def mini_box(points):
    rect = cv2.minAreaRect(points)
    corners = sorted(list(cv2.boxPoints(rect)), key=lambda p: p[0])
    left = [corners[0], corners[1]] if corners[1][1] > corners[0][1] else [corners[1], corners[0]]
    right = [corners[2], corners[3]] if corners[3][1] > corners[2][1] else [corners[3], corners[2]]
    return np.array([left[0], right[0], right[1], left[1]]), min(rect[1])


def fast_score(pred, box):
    h, w = pred.shape
    box = box.copy()
    xmin = int(np.clip(np.floor(box[:, 0].min()), 0, w - 1))
    xmax = int(np.clip(np.ceil(box[:, 0].max()), 0, w - 1))
    ymin = int(np.clip(np.floor(box[:, 1].min()), 0, h - 1))
    ymax = int(np.clip(np.ceil(box[:, 1].max()), 0, h - 1))
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    box[:, 0] -= xmin
    box[:, 1] -= ymin
    cv2.fillPoly(mask, box.reshape(1, -1, 2).astype(np.int32), 1)
    return cv2.mean(pred[ymin:ymax + 1, xmin:xmax + 1], mask)[0]


def unclip(box):
    polygon = Polygon(box)
    distance = polygon.area * UNCLIP_RATIO / polygon.length
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(box.tolist(), pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return np.array(offset.Execute(distance))


def post_process(pred, dest_w, dest_h):
    h, w = pred.shape
    bitmap = (pred > THRESH).astype(np.uint8) * 255
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours[:MAX_CANDIDATES]:
        points, sside = mini_box(contour)
        if sside < MIN_SIZE:
            continue
        score = fast_score(pred, points.reshape(-1, 2))
        if BOX_THRESH > score:
            continue
        expanded = unclip(points)
        if len(expanded) != 1:
            continue
        box, sside = mini_box(expanded.reshape(-1, 1, 2).astype(np.float32))
        if sside < MIN_SIZE + 2:
            continue
        box[:, 0] = np.clip(np.round(box[:, 0] / w * dest_w), 0, dest_w)
        box[:, 1] = np.clip(np.round(box[:, 1] / h * dest_h), 0, dest_h)
        boxes.append({"quad": box.astype(int).tolist(), "score": float(score)})
    return boxes


def synthetic_map(rng, w, h, blobs):
    k = np.zeros((h, w), dtype=np.int32)
    ys, xs = np.mgrid[0:h, 0:w]
    for _ in range(blobs):
        cx, cy = rng.uniform(8, w - 8), rng.uniform(6, h - 6)
        bw, bh = rng.uniform(2, w / 2), rng.uniform(2, h / 3)
        angle = rng.choice([0.0, 0.0, rng.uniform(-0.6, 0.6)])
        level = rng.choice([95, 90, 80, 70, 55])
        u = (xs - cx) * math.cos(angle) + (ys - cy) * math.sin(angle)
        v = -(xs - cx) * math.sin(angle) + (ys - cy) * math.cos(angle)
        inside = (np.abs(u) <= bw / 2) & (np.abs(v) <= bh / 2)
        edge = (np.abs(u) <= bw / 2 + 1) & (np.abs(v) <= bh / 2 + 1) & ~inside
        k = np.maximum(k, np.where(inside, level, 0))
        k = np.maximum(k, np.where(edge, 35, 0))
    return k


def run_lengths(values):
    """[value, count, value, count, ...] of a flat list."""
    out = []
    for value in values:
        if out and out[-2] == value:
            out[-1] += 1
        else:
            out += [value, 1]
    return out


def main():
    rng = random.Random(20261122)
    cases = []
    for index in range(40):
        w, h = rng.choice([(64, 48), (96, 32), (48, 64)])
        k = synthetic_map(rng, w, h, rng.randint(1, 4))
        pred = (k.astype(np.float32) / np.float32(100)).astype(np.float32)
        dest_w, dest_h = rng.choice([(w, h), (2 * w, 2 * h), (int(w * 1.37), int(h * 1.37))])
        cases.append({"width": w, "height": h, "destWidth": dest_w, "destHeight": dest_h,
                      "map": run_lengths(k.flatten().tolist()), "boxes": post_process(pred, dest_w, dest_h)})
    print(json.dumps({"source": "make-db-fixtures.py (OpenCV %s)" % cv2.__version__, "cases": cases}))


main()
