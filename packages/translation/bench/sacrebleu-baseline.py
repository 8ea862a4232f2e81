"""Times sacreBLEU (function API and reused metric objects) on the benchmark's sentences.

Run by bench/metrics.bench.ts in the same command: `python3 bench/sacrebleu-baseline.py INPUT.json`
with PYTHONPATH pointing at a sacreBLEU 2.6.0 source tree (SACREBLEU_SRC). INPUT holds
{"runs": [{"workload": name, "metric": "bleu" | "chrf" | "chrfpp" | "ter", "segments":
[[hypothesis, [reference, ...]], ...]}, ...], "repetitions": R}. Prints one JSON object whose
"runs" list has, per run and API ("function", "object"), the median over R passes of segments per wall-clock second,
segments per CPU second and the mean score (to check both sides scored the same sentences).
This file is ours; sacreBLEU itself is never copied into the repository.
"""
import json
import statistics
import sys
import time

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER


def measure(score, segments, repetitions):
    walls, cpus, total = [], [], 0.0
    # one warm-up pass (sacreBLEU's tokenizers keep an LRU cache, as ours: both start warm)
    for hypothesis, references in segments:
        score(hypothesis, references)
    for _ in range(repetitions):
        total = 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        for hypothesis, references in segments:
            total += score(hypothesis, references).score
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "perSecond": len(segments) / statistics.median(walls),
        "perCpuSecond": len(segments) / statistics.median(cpus),
        "meanScore": total / len(segments),
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    repetitions = request["repetitions"]
    bleu, chrf, chrfpp, ter = BLEU(effective_order=True), CHRF(), CHRF(word_order=2), TER()
    apis = {
        "bleu": {"function": sacrebleu.sentence_bleu, "object": bleu.sentence_score},
        "chrf": {"function": sacrebleu.sentence_chrf, "object": chrf.sentence_score},
        "chrfpp": {"function": lambda h, r: sacrebleu.sentence_chrf(h, r, word_order=2), "object": chrfpp.sentence_score},
        "ter": {"function": sacrebleu.sentence_ter, "object": ter.sentence_score},
    }
    result = {"version": sacrebleu.__version__, "runs": []}
    for run in request["runs"]:
        result["runs"].append({api: measure(score, run["segments"], repetitions) for api, score in apis[run["metric"]].items()})
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
