"""Times sacreBLEU (function API and reused metric objects) on the benchmark's sentences, one pass at a time.

Run by bench/metrics.bench.ts in the same command: `python3 bench/sacrebleu-baseline.py INPUT.json`
with PYTHONPATH pointing at a sacreBLEU 2.6.0 source tree (SACREBLEU_SRC). INPUT holds
{"runs": [{"workload": name, "metric": "bleu" | "chrf" | "chrfpp" | "ter", "passes":
[[[hypothesis, [reference, ...]], ...], ...]}, ...]} (the segments of each pass, or one list for
every pass). The script prints {"version": ...} on one line, then reads one command per line on
stdin, {"run": index, "api": "function" | "object", "pass": index}, scores that pass's segments
once with that API and prints {"wall": seconds, "cpu": seconds, "meanScore": mean}
on one line (wall clock and CPU time of this process for the pass; the mean score lets the bench
check that both sides scored the same sentences). The bench alternates these passes with its own,
round by round. This file is ours; sacreBLEU itself is never copied into the repository.
"""
import json
import sys
import time

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER


def one_pass(score, segments):
    total = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for hypothesis, references in segments:
        total += score(hypothesis, references).score
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "meanScore": total / len(segments),
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        runs = json.load(handle)["runs"]
    # one object per metric, reused for every call (sacreBLEU's fastest use); the function API
    # builds a metric object per call
    bleu, chrf, chrfpp, ter = BLEU(effective_order=True), CHRF(), CHRF(word_order=2), TER()
    apis = {
        "bleu": {"function": sacrebleu.sentence_bleu, "object": bleu.sentence_score},
        "chrf": {"function": sacrebleu.sentence_chrf, "object": chrf.sentence_score},
        "chrfpp": {"function": lambda h, r: sacrebleu.sentence_chrf(h, r, word_order=2), "object": chrfpp.sentence_score},
        "ter": {"function": sacrebleu.sentence_ter, "object": ter.sentence_score},
    }
    print(json.dumps({"version": sacrebleu.__version__}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        run = runs[command["run"]]
        passes = run["passes"]
        segments = passes[command["pass"]] if len(passes) > 1 else passes[0]
        print(json.dumps(one_pass(apis[run["metric"]][command["api"]], segments)), flush=True)


if __name__ == "__main__":
    main()
