"""Writes coco-ap.json: per-image AP values computed by the real pycocotools (2.0.x) COCOeval.

Not run by the tests. To regenerate: python3 -m venv v && v/bin/pip install pycocotools
&& v/bin/python make-coco-fixtures.py > coco-ap.json. Boxes are xyxy; converted to COCO's xywh
the way VLM-R1's calculate_map does. Scores and labels as given.
"""
import contextlib
import io
import json
import random

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def coco_ap(truths, detections):
    labels = sorted({t["label"] for t in truths})
    cats = {label: i + 1 for i, label in enumerate(labels)}
    gt = {
        "images": [{"id": 1, "width": 1000, "height": 1000}],
        "categories": [{"id": cid, "name": name} for name, cid in cats.items()],
        "annotations": [],
    }
    for i, t in enumerate(truths):
        x1, y1, x2, y2 = t["box"]
        gt["annotations"].append({"id": i + 1, "image_id": 1, "category_id": cats[t["label"]],
                                  "bbox": [x1, y1, x2 - x1, y2 - y1], "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
    dts = []
    for d in detections:
        if d["label"] not in cats:
            continue
        x1, y1, x2, y2 = d["box"]
        dts.append({"image_id": 1, "category_id": cats[d["label"]], "bbox": [x1, y1, x2 - x1, y2 - y1], "score": d["score"]})
    if not dts:
        return None
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = gt
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(dts)
        ev = COCOeval(coco_gt, coco_dt, "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return {"ap": float(ev.stats[0]), "ap50": float(ev.stats[1]), "ap75": float(ev.stats[2])}


def random_box(rng, size=100):
    x1, x2 = sorted(rng.sample(range(0, size + 1), 2))
    y1, y2 = sorted(rng.sample(range(0, size + 1), 2))
    return [x1, y1, x2, y2]


def jitter(rng, box, amount):
    x1, y1, x2, y2 = box
    out = [x1 + rng.randint(-amount, amount), y1 + rng.randint(-amount, amount), x2 + rng.randint(-amount, amount), y2 + rng.randint(-amount, amount)]
    if out[2] <= out[0]:
        out[2] = out[0] + 1
    if out[3] <= out[1]:
        out[3] = out[1] + 1
    return out


cases = []
rng = random.Random(7)
for n in range(40):
    labels = ["cat", "dog"] if n % 3 else ["cat"]
    truths = [{"box": random_box(rng), "label": rng.choice(labels)} for _ in range(rng.randint(1, 6))]
    detections = []
    for t in truths:
        if rng.random() < 0.8:
            detections.append({"box": jitter(rng, t["box"], rng.choice([0, 2, 5, 10])), "label": t["label"] if rng.random() < 0.85 else rng.choice(labels + ["bird"]),
                               "score": rng.choice([1.0, 0.9, 0.5, round(rng.random(), 3)])})
    for _ in range(rng.randint(0, 4)):
        detections.append({"box": random_box(rng), "label": rng.choice(labels), "score": rng.choice([1.0, 0.3, round(rng.random(), 3)])})
    rng.shuffle(detections)
    expected = coco_ap(truths, detections)
    if expected is not None:
        cases.append({"name": f"random-{n}", "truths": truths, "detections": detections, "expected": expected})

# More than 100 detections: COCO keeps the 100 best scored.
truths = [{"box": [i * 10, 0, i * 10 + 8, 8], "label": "a"} for i in range(10)]
detections = [{"box": [500, 500, 510, 510], "label": "a", "score": 0.99} for _ in range(95)]
detections += [{"box": t["box"], "label": "a", "score": 0.5 - i * 0.01} for i, t in enumerate(truths)]
cases.append({"name": "max-detections-100", "truths": truths, "detections": detections, "expected": coco_ap(truths, detections)})

print(json.dumps({"generator": "pycocotools COCOeval via make-coco-fixtures.py", "cases": cases}, indent=1))
