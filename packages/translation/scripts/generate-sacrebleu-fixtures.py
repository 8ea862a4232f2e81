"""Writes src/__fixtures__/*.json with the outputs of the real sacreBLEU 2.6.0.

Usage (from packages/translation):
    PYTHONPATH=/path/to/sacrebleu-2.6.0 python3 scripts/generate-sacrebleu-fixtures.py

sacreBLEU 2.6.0 is its public source at tag v2.6.0 (github.com/mjpost/sacrebleu) with a
hand-written sacrebleu/version.py (`__version__ = "2.6.0"`); it runs on Debian's python3 with
python3-regex, -portalocker, -tabulate, -numpy, -colorama and -lxml. This script only calls it:
no sacreBLEU code is copied into the repository. Inputs are drawn with a fixed seed, so a rerun
writes the same files. Floats are written with Python's repr (round-trip exact).
"""
import json
import logging
import os
import random

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_char import TokenizerChar
from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer
from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__
# sacreBLEU warns on every sentence-level BLEU without effective order (one setting here does that on purpose)
logging.getLogger("sacrebleu").setLevel(logging.ERROR)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "__fixtures__")

# Characters real model outputs contain, and the ones the tokenizers treat specially: ASCII
# punctuation, XML entities, <skipped>, hyphen-newline joins, CJK, curly quotes, currency,
# combining marks, emoji (astral), astral CJK, NBSP / ideographic space / U+001C, zero-width
# space, BOM, dotted capital I, final sigma, digits of other scripts, fractions, superscripts.
PIECES = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + [
    "&quot;", "&amp;", "&lt;", "&gt;", "<skipped>", "-\n", "\n-", "\n", "\t", " ", " ", " ",
    "你", "好", "。", "，", "…", "“", "”", "—", "€", "¥", "́", "😀", "👍🏽", "𠀀", "\u00a0", "\u3000",
    "\u001c", "\u200b", "\ufeff", "İ", "Σ", "ß", "ẞ", "é", "É", "٣", "½", "²", "ⅷ", "→", "∑",
    "a", "b", "Z", "A", "0", "9", "3.5", "1,000", "x-ray", "l'eau",
]
WORDS = ["the", "cat", "sat", "on", "mat", "a", "dog", "The", "3.5", "1,000", "x-ray", "end.", "why?",
         "\"quote\"", "l'eau", "über", "猫", "👍", "(hi)", "你好", "，", "ß", "é", "Dog", "on.", "mat,"]


def adversarial_line(rng):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 24)))


def sentence(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def tokenizer_fixture(rng):
    cases = [adversarial_line(rng) for _ in range(600)]
    tokenizers = {
        "13a": Tokenizer13a(),
        "intl": TokenizerV14International(),
        "zh": TokenizerZh(),
        "char": lambda line: " ".join(TokenizerChar()(line).split()),
        "ter": TercomTokenizer(normalized=True),
        "lower": str.lower,
    }
    return {"cases": cases, "expected": {name: [tokenize(line) for line in cases] for name, tokenize in tokenizers.items()}}


# metric settings: fixture key -> sacreBLEU metric object (reused, as its object API is used)
def metric_settings():
    return {
        "bleu13a": BLEU(effective_order=True),
        "bleuIntlFloor": BLEU(effective_order=True, tokenize="intl", smooth_method="floor"),
        "bleuZhAddk": BLEU(effective_order=True, tokenize="zh", smooth_method="add-k", smooth_value=2),
        "bleuCharLcNone": BLEU(effective_order=True, tokenize="char", smooth_method="none", lowercase=True),
        "bleuNoEff": BLEU(effective_order=False),
        "chrf": CHRF(),
        "chrfpp": CHRF(word_order=2),
        "chrfEps": CHRF(beta=3, eps_smoothing=True),
        "chrfLcSpace": CHRF(lowercase=True, whitespace=True, char_order=4, word_order=1),
        "ter": TER(),
        "terNormCase": TER(normalized=True, case_sensitive=True),
        "terPunctAsian": TER(no_punct=True, asian_support=True, normalized=True),
    }


def metric_fixture(rng):
    settings = metric_settings()
    rows = []
    for _ in range(300):
        hypothesis = sentence(rng, 0, 18)
        references = [sentence(rng, 1, 18) if rng.random() < 0.5 else mutate(rng, hypothesis) for _ in range(rng.randint(1, 3))]
        row = {"h": hypothesis, "refs": references}
        for name, metric in settings.items():
            result = metric.sentence_score(hypothesis, references)
            row[name] = result.score
            if name.startswith("bleu"):
                # BLEU's statistics too: they must match exactly, the score to the last bits of log/exp
                row[name + "Stats"] = [list(result.counts), list(result.totals), result.sys_len, result.ref_len]
        rows.append(row)
    # long, permuted sentences: TER's beam, its 50-word shift window and 1,000-candidate limit
    ter = TER()
    long_rows = []
    for _ in range(12):
        words = [f"w{rng.randint(0, 30)}" for _ in range(rng.randint(55, 70))]
        shuffled = words[:]
        rng.shuffle(shuffled)
        hypothesis = " ".join(shuffled[: max(1, len(shuffled) - rng.randint(0, 6))])
        reference = " ".join(words)
        long_rows.append({"h": hypothesis, "refs": [reference], "ter": ter.sentence_score(hypothesis, [reference]).score})
    return {"sentences": rows, "longTer": long_rows}


def mutate(rng, line):
    words = line.split()
    out = []
    for word in words:
        roll = rng.random()
        if roll < 0.15:
            out.append(rng.choice(WORDS))
        elif roll < 0.25:
            continue
        else:
            out.append(word)
    if len(out) > 4 and rng.random() < 0.5:
        start = rng.randrange(len(out) - 2)
        moved = out[start:start + 2]
        del out[start:start + 2]
        out[rng.randrange(len(out) + 1):0] = moved
    return " ".join(out) or rng.choice(WORDS)


def write(name, data):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.write("\n")


def main():
    write("tokenizer-oracle.json", tokenizer_fixture(random.Random(20251206)))
    write("metric-oracle.json", metric_fixture(random.Random(20251207)))


if __name__ == "__main__":
    main()
