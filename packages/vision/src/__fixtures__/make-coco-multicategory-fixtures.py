"""Writes coco-ap-multicategory.json: per-image AP of images with several categories, computed by
the real pycocotools (2.0.11) COCOeval, for the multi-category rules of vision.detection:

- AP (stats[0]) is the mean of precision[precision > -1] over IoU thresholds, recall thresholds and
  categories, which is the mean over categories of each category's AP;
- a category of the dataset with no ground truth in the image stays -1 and is left out (its
  detections are not false positives); every case declares one such category ("unused");
- a detection whose category has ground truth but matches nothing is a false positive of its own
  category only (categories are never pooled into one precision/recall curve).

Not run by the tests. To regenerate: python3 -m venv v && v/bin/pip install pycocotools numpy
&& v/bin/python make-coco-multicategory-fixtures.py > coco-ap-multicategory.json.
Boxes are xyxy; converted to COCO's xywh the way VLM-R1's calculate_map does.
"""
import contextlib
import io
import json
import random

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

CATEGORIES = ["cat", "dog", "bird", "car", "person", "unused"]


def coco_ap(truths, detections):
    cats = {label: i + 1 for i, label in enumerate(CATEGORIES)}
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
    # Per category AP (area all, maxDets 100), -1 where the category has no ground truth.
    per_category = {}
    for k, name in enumerate(CATEGORIES):
        p = ev.eval["precision"][:, :, k, 0, 2]
        per_category[name] = float(p[p > -1].mean()) if (p > -1).any() else -1.0
    return {"ap": float(ev.stats[0]), "ap50": float(ev.stats[1]), "ap75": float(ev.stats[2]), "per_category": per_category}


def random_box(rng, size=200):
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


def add(name, truths, detections):
    expected = coco_ap(truths, detections)
    if expected is not None:
        cases.append({"name": name, "truths": truths, "detections": detections, "expected": expected})


# Hand-made: the pooled curve and the per-category mean differ.
add("two-categories-one-perfect-one-missed",
    [{"box": [0, 0, 10, 10], "label": "cat"}, {"box": [20, 20, 30, 30], "label": "dog"}],
    [{"box": [0, 0, 10, 10], "label": "cat", "score": 0.9}, {"box": [60, 60, 70, 70], "label": "dog", "score": 0.95}])
add("false-positive-stays-in-its-category",
    [{"box": [0, 0, 10, 10], "label": "cat"}, {"box": [20, 20, 30, 30], "label": "dog"}],
    [{"box": [80, 80, 90, 90], "label": "cat", "score": 0.99}, {"box": [0, 0, 10, 10], "label": "cat", "score": 0.5},
     {"box": [20, 20, 30, 30], "label": "dog", "score": 0.4}])
add("detections-of-a-category-without-ground-truth-are-ignored",
    [{"box": [0, 0, 10, 10], "label": "cat"}],
    [{"box": [50, 50, 60, 60], "label": "bird", "score": 1.0}, {"box": [0, 0, 10, 10], "label": "cat", "score": 0.1}])
add("right-box-wrong-category",
    [{"box": [0, 0, 10, 10], "label": "cat"}, {"box": [20, 20, 30, 30], "label": "dog"}],
    [{"box": [0, 0, 10, 10], "label": "dog", "score": 0.9}, {"box": [20, 20, 30, 30], "label": "cat", "score": 0.9}])
add("three-categories-unequal-sizes",
    [{"box": [0, 0, 40, 40], "label": "car"}, {"box": [50, 0, 90, 40], "label": "car"}, {"box": [100, 0, 140, 40], "label": "car"},
     {"box": [0, 50, 20, 90], "label": "person"}, {"box": [150, 150, 160, 160], "label": "bird"}],
    [{"box": [0, 0, 40, 38], "label": "car", "score": 0.8}, {"box": [52, 2, 90, 40], "label": "car", "score": 0.7},
     {"box": [0, 50, 20, 70], "label": "person", "score": 0.9}, {"box": [150, 150, 161, 161], "label": "bird", "score": 0.3},
     {"box": [100, 100, 120, 120], "label": "car", "score": 0.95}])
add("one-category-with-no-detection-scores-zero",
    [{"box": [0, 0, 10, 10], "label": "cat"}, {"box": [20, 20, 30, 30], "label": "dog"}, {"box": [40, 40, 50, 50], "label": "bird"}],
    [{"box": [0, 0, 10, 10], "label": "cat", "score": 1.0}, {"box": [20, 20, 30, 30], "label": "dog", "score": 1.0}])
add("only-wrong-category-detections",
    [{"box": [0, 0, 10, 10], "label": "cat"}],
    [{"box": [0, 0, 10, 10], "label": "dog", "score": 1.0}])
add("duplicate-detections-per-category",
    [{"box": [0, 0, 10, 10], "label": "cat"}, {"box": [0, 0, 10, 10], "label": "dog"}],
    [{"box": [0, 0, 10, 10], "label": "cat", "score": 0.9}, {"box": [0, 0, 10, 10], "label": "cat", "score": 0.8},
     {"box": [1, 1, 10, 10], "label": "dog", "score": 0.7}])
add("float-coordinates",
    [{"box": [10.5, 20.25, 60.75, 80.5], "label": "cat"}, {"box": [100.1, 100.2, 150.3, 170.4], "label": "dog"}],
    [{"box": [11.0, 21.0, 60.0, 79.0], "label": "cat", "score": 0.6}, {"box": [101.5, 99.5, 149.5, 172.0], "label": "dog", "score": 0.6},
     {"box": [0.5, 0.5, 5.5, 5.5], "label": "dog", "score": 0.65}])

# Random images with two to five categories.
rng = random.Random(14)
for n in range(36):
    labels = rng.sample(CATEGORIES[:5], rng.randint(2, 5))
    truths = [{"box": random_box(rng), "label": rng.choice(labels)} for _ in range(rng.randint(2, 9))]
    detections = []
    for t in truths:
        if rng.random() < 0.8:
            label = t["label"] if rng.random() < 0.8 else rng.choice(CATEGORIES)
            detections.append({"box": jitter(rng, t["box"], rng.choice([0, 2, 5, 12])), "label": label,
                               "score": rng.choice([1.0, 0.9, 0.5, round(rng.random(), 3)])})
    for _ in range(rng.randint(0, 5)):
        detections.append({"box": random_box(rng), "label": rng.choice(CATEGORIES), "score": rng.choice([1.0, 0.3, round(rng.random(), 3)])})
    rng.shuffle(detections)
    add(f"random-{n}", truths, detections)

print(json.dumps({"generator": "pycocotools 2.0.11 COCOeval via make-coco-multicategory-fixtures.py", "categories": CATEGORIES, "cases": cases}, indent=1))
