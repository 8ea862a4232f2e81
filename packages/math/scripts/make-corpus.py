#!/usr/bin/env python3
"""Writes src/__fixtures__/verify-corpus.json: hand-written (reference, completion, expected) cases,
and src/__fixtures__/verify-pairs.json: the equivalence pairs with the completion templates.

Equivalence pairs are wrapped in rotating completion templates so that every category also
exercises extraction. Expected verdicts are decided by hand from the issue and Math-Verify's
documented behaviour, never from this package's output.
"""
import json, os

TEMPLATES = [
    "We simplify step by step and get $\\boxed{%s}$.",
    "After the computation, the answer is $%s$.",
    "<think>Let me work it out carefully.</think><answer>%s</answer>",
    "Putting everything together.\nAnswer: %s",
    "So the result is\n\\[ %s \\]",
]

# Only for verify-pairs.json: more ways to write the final answer.
EXTRA_TEMPLATES = [
    "Thus the answer is **%s**.",
    "Result: $$%s$$",
    "We conclude \\(%s\\).",
    "Final Answer: The final answer is $%s$. I hope it is correct.",
    "So\n#### %s",
    "%s",
    "The answer is: $\\boxed{%s}$",
]

cases = []
def add(category, reference, completion, expected, note="", settings=None, prompt=None):
    cases.append({"category": category, "reference": reference, "completion": completion, "expected": expected, **({"note": note} if note else {}),
                  **({"settings": settings} if settings else {}), **({"prompt": prompt} if prompt is not None else {})})

counter = [0]
PAIRS = []
def pair(category, reference, answer, expected, note=""):
    PAIRS.append({"category": category, "reference": reference, "answer": answer, "expected": expected})
    template = TEMPLATES[counter[0] % len(TEMPLATES)]
    counter[0] += 1
    add(category, reference, template % answer, expected, note)

# ---------------------------------------------------------------- extraction
E = "extraction"
add(E, "42", "Some work... so \\boxed{42}.", 1)
add(E, "42", "First guess \\boxed{41}, no wait... the sum is 42 so \\boxed{42} and again \\boxed{42}", 0, "two different boxed values")
add(E, "42", "\\boxed{42} is correct, confirming \\boxed{42}", 1, "repeated identical boxed values")
add(E, "\\frac{1}{2}", "The answer is \\boxed{\\frac{1}{2}}", 1, "nested braces in boxed")
add(E, "\\frac{\\sqrt{3}}{2}", "$\\boxed{\\frac{\\sqrt{3}}{2}}$", 1, "deeply nested braces")
add(E, "\\frac{\\sqrt{3}}{2}", "$\\boxed{\\frac{\\sqrt{3}}{3}}$", 0)
add(E, "7", "The result is \\fbox{7}.", 1, "fbox")
add(E, "7", "The result is \\fbox{8}.", 0)
add(E, "12", "<answer>12</answer>", 1)
add(E, "12", "<answer>13</answer>", 0)
add(E, "12", "<think>maybe 11</think>\n<answer>\\boxed{12}</answer>", 1, "boxed inside answer tag")
add(E, "12", "<think>so it is 12</think><answer>11</answer>", 0, "thinking does not count")
add(E, "12", "<answer>12</answer> or <answer>13</answer>", 0, "two different answer tags")
add(E, "12", "<think>The computation gives 12 but I keep thinking", 0, "unclosed think: no final answer")
add(E, "5", "Thus, the final answer is 5. I hope it is correct.", 1)
add(E, "5", "Thus, the final answer is 6. I hope it is correct.", 0)
add(E, "5", "The answer is: 5", 1)
add(E, "5", "Answer: 5", 1)
add(E, "5", "Answer: 4", 0)
add(E, "73", "Adding the parts we get **73**", 1, "markdown bold")
add(E, "73", "Adding the parts we get **74**", 0)
add(E, "73", "**Step 1:** add 70 and 3.\n\nThe total is **73**.", 1, "bold headings are not answers")
add(E, "9", "Inline math $9$ at the end", 1)
add(E, "9", "Display math $$9$$", 1)
add(E, "9", "Display \\[9\\]", 1)
add(E, "9", "Inline \\(9\\)", 1)
add(E, "9", "Inline \\(8\\)", 0)
add(E, "10", "Answer \\( (9+1) \\)", 1)
add(E, "1-\\sqrt{2}", "1 - \\sqrt{2}", 1, "LaTeX without delimiters")
add(E, "1-\\sqrt{2}", "1 + \\sqrt{2}", 0)
add(E, "\\frac{3}{4}", "Therefore we obtain \\dfrac{3}{4}", 1, "bare \\dfrac on the last line")
add(E, "\\frac{3}{4}", "Therefore we obtain \\dfrac{4}{3}", 0)
add(E, "17", "We add 8 and 9 to get 17 apples in total", 1, "last number fallback")
add(E, "17", "We add 8 and 9 to get 18 apples in total", 0)
add(E, "-3", "the value is -3", 1)
add(E, "3", "the value is -3", 0)
add(E, "14916", "Therefore, $\\boxed{14{,}916}$ is our answer.", 1, "{,} thousands separator")
add(E, "2-2p", "Since $x<2$, $|x-2|=2-x$. If $2-x=p$, then $x=2-p$. Thus $x-p=\\boxed{2-2p}$.", 1)
add(E, "2-2p", "Thus $x-p=\\boxed{2-p}$.", 0)
add(E, "\\frac{14}{3}", "$f(-2)+f(-1)+f(0)=\\frac{-8}{-4}+\\frac{-5}{-3}+\\frac{-2}{-2}=2+\\frac{5}{3}+1=\\boxed{\\frac{14}{3}}$", 1)
add(E, "3\\sqrt{13}", "\\begin{align*} \\sqrt{117} = \\boxed{3\\sqrt{13}}. \\end{align*}", 1)
add(E, "3\\sqrt{13}", "\\begin{align*} \\sqrt{117} = \\boxed{13\\sqrt{3}}. \\end{align*}", 0)
add(E, "6", "The final answer is $6$. I hope it is correct.", 1)
add(E, "\\frac{1}{3}", "$k = \\frac{1}{3}$", 1, "last side of an equation")
add(E, "\\frac{1}{3}", "$\\frac{1}{3} \\text{meters}$", 1, "unit text dropped")
add(E, "4", "The answer is \\boxed 4.", 1, "\\boxed without braces")
add(E, "0.5", "The probability is $\\boxed{\\tfrac12}$", 1, "\\tfrac12")
add(E, "8", "<think>\n2^3 = 8\n</think>\nThe answer is $8$.", 1)
add(E, "8", "<think>\nthe answer is 8\n</think>\nThe answer is $9$.", 0)
add(E, "1000.99", "the number is not 10 which is 1,000.99€", 1, "last number with currency")
add(E, "2", "AZYUK2A", 0, "a digit glued inside a word is no answer")
add(E, "18", "She sells 16 - 3 - 4 = 9 eggs and makes 9 * 2 = $18 every day.\n#### 18", 1, "GSM8K answer line")
add(E, "18", "She sells 16 - 3 - 4 = 9 eggs and makes 9 * 2 = $18 every day.\n#### 19", 0)
add(E, "Janet makes 9 * 2 = 18 dollars.\n#### 18", "The answer is 18.", 1, "a GSM8K solution as the reference")
add(E, "\\frac{10}{9}", "Answer $ \\frac{1}{2} \\$ = \\frac{10}{9} $", 1)
add(E, "12", "The terms are $1, 1+d, 1+2d, \\dots$ with $d = \\frac{90}{n}$. So there are 12 such sequences.", 1, "a number written after the last math span wins")
add(E, "12", "The terms are $1, 1+d, 1+2d, \\dots$ with $d = \\frac{90}{n}$. So there are 13 such sequences.", 0)
add(E, "120", "The volume is $5 \\times 6 \\times 4 = 120$. Final Answer: The volume of $ABCD$ is 120. I hope it is correct.", 1, "nested anchors and prose")
add(E, "120", "The volume is $5 \\times 6 \\times 4 = 120$. Final Answer: The volume of $ABCD$ is 121. I hope it is correct.", 0)
add(E, "6", "Final Answer: The final answer is $6$. I hope it is correct.", 1)
add(E, "16386.20", "Paula's investment is worth $\\boxed{\\$16,\\!386.20}$ after 5 years.", 1, "\\! inside a thousands separator")
add(E, "16386.20", "Paula's investment is worth $\\boxed{\\$16,\\!386.02}$ after 5 years.", 0)

# ---------------------------------------------------------------- reward hacking
H = "reward-hacking"
for reference in ["1", "42", "\\frac{1}{2}", "x^2+1", "\\{1,2\\}", "(0,1]", "A", "\\text{Evelyn}", "0"]:
    add(H, reference, ":", 0, "master key ':'")
    add(H, reference, "Let's solve this step by step.", 0, "master key phrase")
add(H, "1", ".", 0)
add(H, "1", "Thought process:", 0)
add(H, "1", "", 0, "empty completion")
add(H, "1", "\\boxed{}", 0, "empty boxed")
add(H, "3", "\\boxed{1} \\boxed{2} \\boxed{3} \\boxed{4}", 0, "every option boxed")
add(H, "3", "The answer is 1, 2, 3 or 4.", 0, "hedging over several values")
add(H, "3", "\\boxed{1, 2, 3, 4}", 0, "a list where one value is asked")
add(H, "3", "\\boxed{3 \\text{ or } 4}", 0)
add(H, "C", "The answer is A, B, C or D.", 0)
add(H, "C", "\\boxed{A} or \\boxed{C}", 0)
add(H, "1+\\frac{1}{e}", "\\boxed{1-\\frac{1}{e}}", 0, "stray-number false positive of Math-Verify (PR #82)")
add(H, "4", "$4\\sqrt{2}$", 0, "Math-Verify issue #41")
add(H, "3x-y+13=0", "\\boxed{3x+4y+14=0}", 0, "Math-Verify issue #60")
add(H, "0", "\\boxed{x-x}", 1, "a genuine zero is still zero")
add(H, "5", "\\boxed{\\text{five}}", 0)
add(H, "12", "\\boxed{\\frac{12}{}}", 0, "malformed fraction: never a stray number")
add(H, "2", "\\boxed{2x}", 0)
add(H, "x+1", "\\boxed{x}", 0)
add(H, "1", "1 = 1", 1, "a trivial equation still names 1")
add(H, "100", "<answer></answer> 100", 0, "empty answer tag beats stray numbers")
add(H, "4", "The answer is not 4.", 0, "a negated answer is not the answer")
add(H, "4", "The answer is 4 apples.", 1)

# ---------------------------------------------------------------- integers, decimals, separators, scientific
N = "numbers"
for ref, ans, exp in [
    ("-5", "-5", 1), ("7425000", "7,425,000", 1), ("1000", "1 000", 1), ("1000", "1000.0", 1), ("1000.0", "1,000.0", 1),
    ("0.4", ".4", 1), ("1000.99", "1,000.99", 1), ("1000.99", "\\$1,000.99", 1), ("0.111", "0.111", 1), ("5", "-5", 0),
    ("1234567", "1,234,567", 1), ("1234567", "1,234,568", 0), ("3", "3.0", 1), ("3", "3.01", 0), ("0", "-0", 1),
    ("1.5e3", "1500", 1), ("1500", "1.5 \\times 10^{3}", 1), ("1500", "1.5 \\times 10^{4}", 0), ("2.5e-3", "0.0025", 1),
    ("6.02\\times 10^{23}", "6.02e23", 1), ("6.02\\times 10^{23}", "6.20e23", 0), ("100", "10^2", 1), ("1000000", "10^6", 1),
    ("1000000", "10^5", 0), ("12", "012", 1), ("250", "2.5 \\cdot 10^2", 1), ("-0.75", "-.75", 1), ("0.75", "-.75", 0),
    ("999999", "1000000", 0), ("2^{10}", "1024", 1), ("2^{10}", "1000", 0), ("3!", "6", 1), ("5!", "100", 0),
    ("\\binom{5}{2}", "10", 1), ("\\binom{6}{3}", "15", 0), ("1,000", "1000", 1), ("7", "7.000", 1), ("7", "6.999", 0),
    ("\\frac{7}{2}", "3 1/2", 1), ("\\frac{7}{2}", "3 1/3", 0), ("1200000", "1.2 million", 1), ("1200000", "1.2 billion", 0),
]:
    pair(N, ref, ans, exp)

# ---------------------------------------------------------------- fractions
F = "fractions"
for ref, ans, exp in [
    ("10/9", "\\frac{10}{9}", 1), ("-10/9", "-\\frac{10}{9}", 1), ("1/3", "\\frac13", 1), ("1", "\\frac3{3}", 1), ("1/3", "\\cfrac{1}{3}", 1),
    ("1/3", "\\dfrac{1}{3}", 1), ("1/3", "\\tfrac{1}{3}", 1), ("1/3", "1/3", 1), ("1/3", "\\left( \\frac{1}{3} \\right)", 1), ("\\frac{2}{4}", "\\frac{1}{2}", 1),
    ("\\frac{1}{2}", "0.5", 1), ("\\frac{1}{2}", "0.52", 0), ("\\frac{3}{4}", "\\frac{4}{3}", 0), ("\\frac{5}{2}", "2\\frac{1}{2}", 1), ("\\frac{7}{2}", "3\\frac{1}{2}", 1),
    ("\\frac{7}{2}", "3\\frac{1}{3}", 0), ("2\\frac{1}{4}", "\\frac{9}{4}", 1), ("2\\frac{1}{4}", "2.25", 1), ("\\frac{1}{6}", "\\frac{2}{12}", 1), ("\\frac{1}{6}", "\\frac{1}{5}", 0),
    ("-\\frac{1}{2}", "\\frac{-1}{2}", 1), ("-\\frac{1}{2}", "\\frac{1}{-2}", 1), ("-\\frac{1}{2}", "\\frac{1}{2}", 0), ("\\frac{a}{b}", "a/b", 1), ("\\frac{22}{7}", "3.14", 0),
    ("\\frac{1}{3}", "0.333333", 1), ("\\frac{1}{3}", "0.3333", 0), ("\\frac{2}{3}", "0.666667", 1), ("\\dfrac{100}{3}", "33\\frac{1}{3}", 1), ("\\frac{3}{8}", "3/8", 1),
    ("\\frac{3}{8}", "8/3", 0), ("\\frac{1}{2}+\\frac{1}{3}", "\\frac{5}{6}", 1), ("\\frac{1}{2}+\\frac{1}{3}", "\\frac{2}{5}", 0), ("\\frac{12}{16}", "0.75", 1), ("4/5", "\\frac{8}{10}", 1),
]:
    pair(F, ref, ans, exp)

# ---------------------------------------------------------------- radicals, pi, e
R = "radicals-constants"
for ref, ans, exp in [
    ("\\sqrt{3}", "\\sqrt3", 1), ("2\\sqrt{2}", "\\sqrt{8}", 1), ("2\\sqrt{2}", "\\sqrt{6}", 0), ("3\\sqrt{13}", "\\sqrt{117}", 1), ("\\sqrt{2}/2", "\\frac{1}{\\sqrt{2}}", 1),
    ("\\sqrt{2}", "1.414214", 1), ("\\sqrt{2}", "1.4142", 0), ("\\sqrt[3]{27}", "3", 1), ("\\sqrt[3]{2}", "2^{1/3}", 1), ("\\sqrt[3]{2}", "2^{1/2}", 0),
    ("\\pi", "\\pi", 1), ("2\\pi", "\\pi + \\pi", 1), ("\\pi", "3.14", 0), ("\\pi/4", "\\frac{\\pi}{4}", 1), ("\\frac{\\pi}{3}", "\\frac{\\pi}{6}", 0),
    ("e", "e", 1), ("e^2", "e \\cdot e", 1), ("e^2", "2e", 0), ("\\ln 2", "\\log_e 2", 1), ("\\ln 8", "3\\ln 2", 1),
    ("\\ln 8", "2\\ln 3", 0), ("\\log_2 8", "3", 1), ("\\log_2 8", "4", 0), ("\\sqrt{1/n}", "\\frac{1}{\\sqrt{n}}", 1), ("\\sqrt{5}+1", "1+\\sqrt5", 1),
    ("\\sqrt{5}+1", "\\sqrt{5}-1", 0), ("\\frac{1+\\sqrt{5}}{2}", "\\frac{\\sqrt{5}+1}{2}", 1), ("\\frac{\\sqrt{3}}{2}", "\\sin 60^\\circ", 1), ("\\frac{1}{2}", "\\cos\\frac{\\pi}{3}", 1), ("\\frac{1}{2}", "\\sin\\frac{\\pi}{3}", 0),
    ("4\\pi", "12.566", 0), ("\\pi r^2", "r^2\\pi", 1), ("e^{i\\pi}", "-1", 1), ("\\sqrt{-4}", "2i", 1), ("\\sqrt{12}", "2\\sqrt{3}", 1),
]:
    pair(R, ref, ans, exp)

# ---------------------------------------------------------------- percent
# Default "strip" (issue 14): the percent sign may be omitted or added, the number must match
# (35\% = 35, 60 = 60\%); reading 35\% as 0.35 is the option percent: "math-verify".
P = "percent"
MV = {"percent": "math-verify"}
EITHER = {"percent": "either"}
add(P, "$28\\%$", "28 percent", 1)
add(P, "$28\\%$", "28 pct", 1)
add(P, "$28\\%$", "28 %", 1)
add(P, "$28\\%$", "$28$ %", 1)
add(P, "$28\\%$", "$28$ percent", 1)
add(P, "$28\\%$", "$\\boxed{28}$ pct", 1)
add(P, "28\\%", "\\boxed{28\\%}", 1)
add(P, "28\\%", "\\boxed{0.28}", 0, "default: 0.28 is another number than 28 (the fraction reading is an option)")
add(P, "28\\%", "\\boxed{0.28}", 1, "math-verify reads 28% as 0.28", MV)
add(P, "28\\%", "\\boxed{0.28}", 1, "either reading", EITHER)
add(P, "28\\%", "\\boxed{28}", 1, "default: the percent sign omitted, same number")
add(P, "28\\%", "\\boxed{28}", 0, "math-verify: the bare number is not the percentage", MV)
add(P, "28\\%", "\\boxed{29\\%}", 0)
add(P, "28\\%", "\\boxed{29}", 0)
add(P, "0.25", "The answer is 25%.", 0, "default: 25 is not 0.25")
add(P, "0.25", "The answer is 25%.", 1, "math-verify: 25% is 0.25", MV)
add(P, "25", "The answer is 25%.", 1, "default: the percent sign added, same number")
add(P, "0.25", "The answer is 2.5%.", 0)
add(P, "0.25", "The answer is 2.5%.", 0, "", MV)
add(P, "12.5\\%", "\\boxed{\\frac{1}{8}}", 0, "default: 1/8 is not 12.5")
add(P, "12.5\\%", "\\boxed{\\frac{1}{8}}", 1, "", MV)
add(P, "12.5\\%", "\\boxed{12.5}", 1)
add(P, "50\\%", "\\boxed{\\frac{1}{2}}", 1, "", MV)
add(P, "50\\%", "\\boxed{\\frac{1}{3}}", 0)
add(P, "50\\%", "\\boxed{\\frac{1}{3}}", 0, "", MV)
add(P, "33\\frac{1}{3}\\%", "\\boxed{\\frac{1}{3}}", 1, "", MV)
add(P, "33\\frac{1}{3}\\%", "\\boxed{\\frac{100}{3}}", 1, "default: the same number without the sign")
add(P, "100\\%", "\\boxed{1}", 0, "default: 1 is not 100")
add(P, "100\\%", "\\boxed{1}", 1, "", MV)
add(P, "100\\%", "\\boxed{100}", 1)
add(P, "5\\%", "\\boxed{5\\%}", 1)
add(P, "5\\%", "The answer is 0.5%", 0)

# ---------------------------------------------------------------- units and text
U = "units-text"
for ref, ans, exp in [
    ("5", "5 \\text{ cm}", 1), ("5", "5\\text{cm}^2", 1), ("5", "6 \\text{ cm}", 0), ("12", "12 \\mbox{ dollars}", 1), ("1/3", "\\frac{1}{3} \\textbf{meters}", 1),
    ("30", "30 \\text{ minutes}", 1), ("30", "30 \\text{ hours}", 1), ("20", "20 \\, \\mathrm{kg}", 1), ("20", "21 \\, \\mathrm{kg}", 0), ("36", "36 \\text{ square units}", 1),
    ("\\text{Evelyn}", "\\text{Evelyn}", 1), ("\\text{Evelyn}", "\\text{Briana}", 0), ("\\text{Evelyn}", "Evelyn", 1), ("\\text{yes}", "\\text{Yes}", 1), ("\\text{no}", "\\text{yes}", 0),
    ("\\text{odd}", "\\text{odd}", 1), ("\\text{odd}", "\\text{even}", 0), ("\\text{(C)}", "\\text{(C)}", 1), ("1000.99", "1,000.99 m^2", 1), ("50", "\\$50", 1),
]:
    pair(U, ref, ans, exp)
add(U, "5", "The side is 5 cm.", 1)
add(U, "5", "The side is 7 cm.", 0)
add(U, "12", "She has 12 apples left.", 1)
add(U, "1000.99", "so the number is 10 which is 1,000.99m²", 1)
add(U, "5 \\text{ cm}", "The side is 5 cm.", 1, "a unit on both sides")
add(U, "5 \\text{ cm}", "$\\boxed{5 \\text{ centimeters}}$", 1, "unit synonyms")
add(U, "5 \\text{ cm}", "$\\boxed{5 \\text{ m}}$", 0, "different units on both sides differ")
add(U, "15\\mbox{ cm}^2", "The area is 15 square centimeters.", 1)
add(U, "15\\mbox{ cm}^2", "$\\boxed{15\\text{ cm}}$", 0, "cm^2 is not cm")

# ---------------------------------------------------------------- degrees
D = "degrees"
for ref, ans, exp in [
    ("90^\\circ", "90", 1), ("90", "90^\\circ", 1), ("90^\\circ", "90^{\\circ}", 1), ("45^\\circ", "45°", 1), ("45^\\circ", "30^\\circ", 0),
    ("90^\\circ", "\\frac{\\pi}{2}", 1), ("\\frac{\\pi}{2}", "90^\\circ", 1), ("60^\\circ", "\\frac{\\pi}{4}", 0), ("120", "120 \\text{ degrees}", 1), ("180^\\circ", "\\pi", 1),
    ("30^\\circ", "31^\\circ", 0), ("270^\\circ", "\\frac{3\\pi}{2}", 1),
]:
    pair(D, ref, ans, exp)

# ---------------------------------------------------------------- sets and tuples
S = "sets-tuples"
for ref, ans, exp in [
    ("\\{1,2,3\\}", "\\{3,2,1\\}", 1), ("\\{1,2,3\\}", "\\{1,2\\}", 0), ("\\{1,2,3\\}", "\\{1,2,4\\}", 0), ("\\{-1, 1\\}", "\\{1, -1\\}", 1), ("\\{\\frac12, 2\\}", "\\{2, 0.5\\}", 1),
    ("(1,2)", "(1,2)", 1), ("(1,2)", "(2,1)", 0), ("(3, \\frac{\\pi}{2})", "\\left( 3, \\frac{\\pi}{2} \\right)", 1), ("(1,2,3)", "(1,2,3)", 1), ("(1,2,3)", "(1,3,2)", 0),
    ("1, 2, 3", "3, 2, 1", 1), ("1, 2", "2, 1", 1), ("1,2", "1, 3", 0), ("\\{1,2\\}", "1, 2", 1), ("\\{1,2\\}", "1 \\text{ and } 2", 1),
    ("(1,2)", "\\{1,2\\}", 0), ("\\{1,2\\}", "(1,2)", 0), ("(-2, 5)", "(-2,5)", 1), ("(2, -5)", "(-2, 5)", 0), ("\\{2\\}", "2", 1),
    ("\\emptyset", "\\varnothing", 1), ("\\emptyset", "\\{0\\}", 0), ("3, 5", "x = 3 \\text{ or } x = 5", 1), ("3, 5", "x=3, x=4", 0), ("(1, 2)", "x=1, y=2", 1),
    ("2 \\pm \\sqrt{3}", "2+\\sqrt{3}, 2-\\sqrt{3}", 1), ("2 \\pm \\sqrt{3}", "2+\\sqrt{3}", 0), ("\\{2 + \\sqrt{3}, 2-\\sqrt{3}\\}", "2 \\pm \\sqrt{3}", 1), ("\\langle 1, 2 \\rangle", "(1, 2)", 1), ("(0, 0, 1)", "(0, 1, 0)", 0),
]:
    pair(S, ref, ans, exp)

# ---------------------------------------------------------------- intervals and inequalities
I = "intervals"
for ref, ans, exp in [
    ("[0,1)", "[0,1)", 1), ("[0,9)", "[0,1)", 0), ("(0,9)", "[0,9)", 0), ("(0,9]", "(0,9]", 1), ("(0,9]", "(0,9)", 0),
    ("(-\\infty, 3)", "(-\\infty,3)", 1), ("(-\\infty, 3)", "(-\\infty, 3]", 0), ("(3, \\infty)", "x > 3", 1), ("[3, \\infty)", "x \\ge 3", 1), ("[3, \\infty)", "x > 3", 0),
    ("x > 3", "(3, \\infty)", 1), ("x \\le 5", "(-\\infty, 5]", 1), ("x \\le 5", "(-\\infty, 5)", 0), ("1 < x \\le 2", "(1, 2]", 1), ("(1,2]", "1 < x \\leq 2", 1),
    ("(1,2]", "1 \\le x < 2", 0), ("(-\\infty, 1) \\cup (2, \\infty)", "(-\\infty,1)\\cup(2,\\infty)", 1), ("(-\\infty, 1) \\cup (2, \\infty)", "(2,\\infty)\\cup(-\\infty,1)", 1), ("(-\\infty, 1) \\cup (2, \\infty)", "(-\\infty,1]\\cup(2,\\infty)", 0), ("(-\\infty, 1) \\cup (2, \\infty)", "x < 1 \\text{ or } x > 2", 1),
    ("3 < x", "x > 3", 1), ("x > 3", "3 < x", 1), ("x > 3", "x < 3", 0), ("x \\geq -1", "[-1, \\infty)", 1), ("[-1, 1]", "[-1,1]", 1),
    ("[-1, 1]", "-1 \\le x \\le 1", 1), ("[-1, 1]", "(-1, 1)", 0), ("(-\\infty, \\infty)", "\\mathbb{R}", 1), ("[\\frac12, 3)", "[0.5, 3)", 1), ("[\\frac12, 3)", "[0.5, 3]", 0),
]:
    pair(I, ref, ans, exp)

# ---------------------------------------------------------------- equations
Q = "equations"
for ref, ans, exp in [
    ("x = 3", "3", 1), ("3", "x = 3", 1), ("x = 3", "x = 3", 1), ("x = 3", "y = 3", 0), ("x=3", "4", 0),
    ("2x+1", "y = 2x + 1", 1), ("y = 2x+1", "2x+1", 1), ("y = 2x+1", "y = 1 + 2x", 1), ("y = 2x+1", "y = 2x - 1", 0), ("y = 2x + 1", "2y = 4x + 2", 1),
    ("x^2 + y^2 = 1", "y^2 + x^2 = 1", 1), ("x^2 + y^2 = 1", "x^2 + y^2 = 2", 0), ("3x - y + 13 = 0", "y = 3x + 13", 1), ("3x-y+13=0", "3x+4y+14=0", 0), ("k = \\frac{1}{3}", "k=\\frac{2}{6}", 1),
    ("x = 2", "x = 1 + 1 = 2", 1), ("x = 5", "x = 2 + 2 = 4", 0), ("a = 5", "5", 1), ("f(x) = x^2", "x^2", 1), ("y = x^2 - 4", "y = (x-2)(x+2)", 1),
    ("y = x^2 - 4", "y = (x-2)^2", 0), ("x + y = 10", "10 - y = x", 1), ("x \\ne 2", "x \\neq 2", 1), ("x = -1", "-1", 1), ("x=-1", "1", 0),
]:
    pair(Q, ref, ans, exp)

# ---------------------------------------------------------------- algebraic expressions
A = "expressions"
for ref, ans, exp in [
    ("x^2 - 1", "(x-1)(x+1)", 1), ("x^2 - 1", "(x-1)^2", 0), ("(x+1)^2", "x^2 + 2x + 1", 1), ("(x+1)^2", "x^2 + x + 1", 0), ("\\frac{x^2-1}{x-1}", "x+1", 1),
    ("2x + 3x", "5x", 1), ("2x + 3y", "5xy", 0), ("\\sin^2 x + \\cos^2 x", "1", 1), ("\\sin 2x", "2\\sin x \\cos x", 1), ("\\cos 2x", "1 - 2\\sin^2 x", 1),
    ("\\cos 2x", "2\\sin^2 x - 1", 0), ("e^{x+y}", "e^x e^y", 1), ("\\ln(ab)", "\\ln a + \\ln b", 1), ("\\frac{1}{x} + \\frac{1}{y}", "\\frac{x+y}{xy}", 1), ("\\frac{1}{x} + \\frac{1}{y}", "\\frac{2}{x+y}", 0),
    ("a^2 - b^2", "(a-b)(a+b)", 1), ("a^3 + b^3", "(a+b)(a^2-ab+b^2)", 1), ("a^3+b^3", "(a+b)^3", 0), ("x^2 y", "y x^2", 1), ("2(x+3)", "2x+6", 1),
    ("2(x+3)", "2x+3", 0), ("\\sqrt{x^2}", "x", 1), ("\\frac{n(n+1)}{2}", "\\frac{n^2+n}{2}", 1), ("\\frac{n(n+1)}{2}", "\\frac{n^2+1}{2}", 0), ("3^n \\cdot 3", "3^{n+1}", 1),
    ("x", "y", 0), ("2-2p", "-2p+2", 1), ("\\frac{a+b}{2}", "0.5a + 0.5b", 1), ("\\tan x", "\\frac{\\sin x}{\\cos x}", 1), ("|x|", "|-x|", 1),
]:
    pair(A, ref, ans, exp)

# ---------------------------------------------------------------- matrices and vectors
M = "matrices"
for ref, ans, exp in [
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", 1),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", 1),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}", 0),
    ("\\begin{pmatrix} 0 & 3 \\\\ 0 & -1 \\end{pmatrix}", "\\begin{pmatrix} 0 & 3 \\\\ 0 & -1 \\end{pmatrix}", 1),
    ("\\begin{pmatrix} 0.5 & 1 \\end{pmatrix}", "\\begin{pmatrix} \\frac12 & 1 \\end{pmatrix}", 1),
    ("\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", 0),
    ("\\begin{pmatrix} 3 \\\\ 2 \\\\ -6 \\end{pmatrix}", "\\begin{pmatrix} 3 \\\\ 2 \\\\ -6 \\end{pmatrix}", 1),
    ("\\begin{pmatrix} 3 \\\\ 2 \\\\ -6 \\end{pmatrix}", "\\begin{pmatrix} 3 \\\\ -2 \\\\ -6 \\end{pmatrix}", 0),
    ("\\begin{pmatrix} 3 \\\\ 2 \\\\ -6 \\end{pmatrix}", "(3, 2, -6)", 1),
    ("\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "\\begin{pmatrix} 1 & 0 & 0 \\\\ 0 & 1 & 0 \\end{pmatrix}", 0),
    ("\\begin{pmatrix} \\sqrt{2} & 0 \\\\ 0 & 1 \\end{pmatrix}", "\\begin{pmatrix} \\sqrt2 & 0 \\\\ 0 & 1 \\end{pmatrix}", 1),
    ("\\begin{pmatrix} x & 1 \\\\ 0 & x \\end{pmatrix}", "\\begin{pmatrix} x & 1 \\\\ 0 & 2x \\end{pmatrix}", 0),
]:
    pair(M, ref, ans, exp)

# ---------------------------------------------------------------- complex numbers
C = "complex"
for ref, ans, exp in [
    ("3+4i", "4i+3", 1), ("3+4i", "3-4i", 0), ("i", "\\sqrt{-1}", 1), ("-1", "i^2", 1), ("1", "i^2", 0),
    ("\\frac{1}{2} + \\frac{\\sqrt{3}}{2}i", "\\frac{1+i\\sqrt{3}}{2}", 1), ("2i", "(1+i)^2", 1), ("2", "(1+i)^2", 0), ("1-i", "\\frac{2}{1+i}", 1), ("|3+4i|", "5", 1),
    ("5i", "5 i", 1), ("-i", "\\frac{1}{i}", 1),
]:
    pair(C, ref, ans, exp)

# ---------------------------------------------------------------- floats, tolerance, precision
T = "precision"
for ref, ans, exp in [
    ("3.14", "3.14159", 1), ("3.14", "3.15", 0), ("3.14", "\\pi", 1), ("0.33", "\\frac{1}{3}", 1), ("0.33", "0.34", 0),
    ("2.7", "2.72", 1), ("2.7", "2.8", 0), ("1.5", "1.50", 1), ("1.5", "1.49", 1), ("1.50", "1.49", 0),
    ("0.1", "0.1000000001", 1), ("0.1", "0.11", 1), ("0.1", "0.2", 0), ("123.456", "123.4564", 1), ("123.456", "123.457", 0),
    ("\\frac{1}{7}", "0.142857", 1), ("\\frac{1}{7}", "0.142", 0), ("1.41", "\\sqrt{2}", 1), ("1.42", "\\sqrt{2}", 0), ("0.0001", "0.0001", 1),
    ("1e-10", "1e-10", 1), ("1e-10", "2e-10", 1), ("2", "1.9999999999", 1), ("2", "1.99", 0), ("66.67", "\\frac{200}{3}", 1),
]:
    pair(T, ref, ans, exp)

# ---------------------------------------------------------------- notation written by models in the wild
W = "notation"
add(W, "204_5", "The quotient is $\\boxed{204_5}$.", 1, "a base-5 numeral")
add(W, "54", "The quotient is $\\boxed{204_5}$.", 1, "2*25 + 0*5 + 4")
add(W, "55", "The quotient is $\\boxed{204_5}$.", 0)
add(W, "x = \\frac{1}{4}", "So $x = 1 \\div 4 = \\frac14 \\approx 0.3$.", 1, "an approximation after the exact value")
add(W, "\\frac{1}{4}", "So $x = \\frac{1}{4} \\approx 0.25$.", 1)
add(W, "\\frac{1}{5}", "So $x=\\frac14\\approx 0.2$.", 0)
add(W, "\\begin{pmatrix} 4 & 6 \\\\ 8 & 10 \\end{pmatrix}", "$\\boxed{\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}+\\begin{pmatrix}3&4\\\\5&6\\end{pmatrix}}$", 1, "matrix sum")
add(W, "\\begin{pmatrix} 2 & 4 \\end{pmatrix}", "$\\boxed{2\\begin{pmatrix}1 & 2\\end{pmatrix}}$", 1, "scalar times matrix")
add(W, "\\begin{pmatrix} 2 & 4 \\end{pmatrix}", "$\\boxed{3\\begin{pmatrix}1 & 2\\end{pmatrix}}$", 0)
add(W, "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "$\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}$", 1, "matrix product")
add(W, "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "$\\begin{pmatrix}0&1\\\\1&0\\end{pmatrix}\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}$", 0)
add(W, "\\tan^2 y + 1", "$\\boxed{\\sec^2 y}$", 1)
add(W, "\\frac{x+2}{7}", "$\\boxed{\\frac{x}{7}+\\frac{2}{7}}$", 1)
add(W, "2x + 4y - 3 = 0", "The line is $y = -\\frac{1}{2}x + \\frac{3}{4}$.", 1)
add(W, "2x + 4y - 3 = 0", "The line is $y = -\\frac{1}{2}x + \\frac{3}{2}$.", 0)
add(W, "\\{-1\\} \\cup [0,7)", "so $x \\in \\boxed{\\{-1\\} \\cup [0,7)}$.", 1, "a point and an interval")
add(W, "\\{-1\\} \\cup [0,7)", "so $x \\in \\boxed{[0,7)}$.", 0)
add(W, "f(2) < f(1) < f(4)", "Hence, $\\boxed{f(2) < f(1) < f(4)}.$", 1)
add(W, "f(2) < f(1) < f(4)", "Hence, $\\boxed{f(1) < f(2) < f(4)}.$", 0)
add(W, "125 \\text{ miles}", "The distance is $\\boxed{125\\textnormal{ miles}}.$", 1)
add(W, "\\frac{9}{4}\\pi", "Therefore $\\boxed{\\frac94\\pi}$.", 1)
add(W, "\\frac{9}{4}\\pi", "Therefore $\\boxed{\\frac49\\pi}$.", 0)
add(W, "(1, 2), (3, 4)", "The solutions are \\[\\boxed{(3, 4)}, \\boxed{(1, 2)}\\]", 1, "one answer boxed piece by piece")
add(W, "(1, 2), (3, 4)", "The solutions are \\[\\boxed{(3, 4)}, \\boxed{(1, 3)}\\]", 0)
add(W, "1, 2, 3", "$\\boxed{1, 2, 3, 3}$", 1, "a repeated element of an order-free list counts once")
add(W, "1, 2, 3", "$\\boxed{1, 2, 2}$", 0)
add(W, "AB:BC = 3:4", "$\\boxed{3:4}$", 1, "a ratio")
add(W, "3:4", "$\\boxed{6:8}$", 1)
add(W, "3:4", "$\\boxed{4:3}$", 0)
add(W, "x=1, y=2; x=3, y=4", "The pairs are $(1,2), (3,4)$", 1, "semicolon-separated solution groups")
add(W, "x=1, y=2; x=3, y=4", "The pairs are $(1,2), (4,3)$", 0)
add(W, "\\frac{OA}{OB} = \\frac{2}{3}", "$\\boxed{\\frac23}$", 1, "a left side made of symbols is a name")
add(W, "\\frac{OA}{OB} = \\frac{2}{3}", "$\\boxed{\\frac32}$", 0)
add(W, "x + y = 10", "$\\boxed{y + x = 10}$", 1)
add(W, "x + y = 10", "$\\boxed{x - y = 10}$", 0)
add(W, "0 < f(x) < 1", "$\\boxed{(0, 1)}$", 1)
add(W, "0 < f(x) < 1", "$\\boxed{(0, 2)}$", 0)
add(W, "\\frac{-1 \\pm \\sqrt{13}}{4}", "$\\boxed{\\frac{-1+\\sqrt{13}}{4}, \\frac{-1-\\sqrt{13}}{4}}$", 1, "a \\pm inside a fraction")
add(W, "\\frac{-1 \\pm \\sqrt{13}}{4}", "$\\boxed{\\frac{-1+\\sqrt{13}}{4}}$", 0)
add(W, "y_1 = x^2 + 2x + 1, y_2 = x^2 - 1", "so \\(y_1 = \\boxed{(x+1)^2}\\) and \\(y_2 = \\boxed{(x-1)(x+1)}\\)", 1, "labelled parts boxed one by one")
add(W, "y_1 = x^2 + 2x + 1, y_2 = x^2 - 1", "so \\(y_1 = \\boxed{(x+1)^2}\\) and \\(y_2 = \\boxed{(x-1)^2}\\)", 0)
add(W, "\\boxed{3} apples and \\boxed{4} pears", "$\\boxed{3, 4}$", 1, "a reference with several boxed parts")
add(W, "\\boxed{3} apples and \\boxed{4} pears", "$\\boxed{3}$", 0)
add(W, "x_1 = 2,\\quadx_2 = 5", "$\\boxed{2, 5}$", 1, "\\quad glued to the next name")
add(W, "1 - \\frac{1}{e}", "$\\boxed{1 - \\frac{1}{\\mathrm{e}}}$", 1, "upright e is Euler's number")
add(W, "1 - \\frac{1}{e}", "$\\boxed{1 + \\frac{1}{\\mathrm{e}}}$", 0, "Math-Verify accepts this pair; it is wrong")
add(W, "(0, \\infty)", "The range is (0, infinity).", 1)
add(W, "The answer is 5.", "$\\boxed{5}$", 1, "a reference written as a sentence")
add(W, "The answer is 5.", "$\\boxed{6}$", 0)
add(W, "Therefore the final answer is $\\frac{1}{2}$.", "$\\boxed{0.5}$", 1)
add(W, "Therefore the final answer is $\\frac{1}{2}$.", "$\\boxed{2}$", 0)

# ---------------------------------------------------------------- beyond floating point: logarithms, then the CAS
X = "beyond-doubles"
add(X, "e^{1000}", "\\boxed{e^{500} \\cdot e^{500}}", 1, "overflows doubles; equal logarithms")
add(X, "e", "\\boxed{\\frac{e^{800}}{e^{799}}}", 1, "inf/inf in doubles")
add(X, "e^{1000}", "\\boxed{e^{999}}", 0)
add(X, "2e", "\\boxed{\\frac{e^{800}}{e^{799}}}", 0)
add(X, "2e^{1000}", "\\boxed{e^{1000} + e^{1000}}", 1)
add(X, "e^{1000}-e^{999}", "\\boxed{e^{999}(e-1)}", 1, "a difference beyond doubles: the CAS decides")
add(X, "e^{1000}-e^{999}", "\\boxed{e^{999}(e-2)}", 0, "the CAS decides")

# ---------------------------------------------------------------- multiple choice
Mc = "multiple-choice"
add(Mc, "C", "The answer is (C).", 1)
add(Mc, "C", "The answer is (B).", 0)
add(Mc, "C", "\\boxed{C}", 1, "Math-Verify issue #16")
add(Mc, "C", "\\boxed{\\text{C}}", 1)
add(Mc, "C", "\\boxed{D}", 0)
add(Mc, "(C)", "Answer: C", 1)
add(Mc, "B", "**B**", 1)
add(Mc, "B", "After eliminating options, the correct option is B because the others fail.", 1)
add(Mc, "B", "After eliminating options, the correct option is D because B fails.", 0)
add(Mc, "A", "Answer: A) 42", 1)
add(Mc, "A", "<answer>A</answer>", 1)
add(Mc, "A", "<answer>B</answer>", 0)
add(Mc, "D", "Comparing all four options...\n\nD", 1)
add(Mc, "D", "The answer is A and D.", 0, "two letters")
add(Mc, "D", "\\boxed{A} \\boxed{D}", 0, "two boxed letters")
add(Mc, "E", "I cannot decide.", 0)

# ---------------------------------------------------------------- issue 14: markdown around the answer marker
# Emphasis, headings and list markers around or inside "Final Answer:" are not part of the answer.
MD = "markdown"
add(MD, "17", "**Final Answer:** 17", 1, "bold marker, the value after it")
add(MD, "17", "**Final Answer:** 18", 0)
add(MD, "\\frac{2}{5}", "**Final answer:** $\\frac{2}{5}$", 1)
add(MD, "\\frac{2}{5}", "**Final answer:** $\\frac{3}{5}$", 0)
add(MD, "42", "### Final Answer\n\n**42**", 1, "heading alone on its line: the answer is on the next line")
add(MD, "42", "### Final Answer\n\n**24**", 0)
add(MD, "3", "- **Answer:** 3", 1, "list marker and bold marker")
add(MD, "3", "- **Answer:** 4", 0)
add(MD, "42", "__42__", 1, "underscore bold")
add(MD, "42", "Adding everything, the total is __41__", 0)
add(MD, "5", "**Answer**: $x = 5$", 1, "colon after the closing emphasis")
add(MD, "12", "*Answer:* 12", 1, "italic marker")
add(MD, "12", "*Answer:* 21", 0)
add(MD, "36", "## Final Answer\nThe area is $36$.", 1)
add(MD, "36", "## Final Answer\nThe area is $63$.", 0)
add(MD, "\\frac{\\sqrt{3}}{2}", "The height follows from the right triangle.\n\n**Final Answer**\n\n$$\\frac{\\sqrt{3}}{2}$$", 1)
add(MD, "\\frac{\\sqrt{3}}{2}", "The height follows from the right triangle.\n\n**Final Answer**\n\n$$\\frac{\\sqrt{2}}{2}$$", 0)
add(MD, "-7", "1. **Answer:** $-7$", 1, "numbered list marker")
add(MD, "-7", "> **Final answer:** 7", 0, "quote marker; the sign matters")
add(MD, "256", "**The final answer is 256.**", 1, "the whole sentence in bold")
add(MD, "256", "**The final answer is 265.**", 0)
add(MD, "18", "#### Final Answer\n18", 1, "a markdown heading, not GSM8K's #### 18")
add(MD, "18", "#### Final Answer\n81", 0)
add(MD, "\\frac{1}{2}", "**Final Answer**: **0.5**", 1)
add(MD, "13", "Total so far: **12 apples**\n\n**Final Answer:** 13", 1, "the marked answer beats an earlier bold number")
add(MD, "13", "Total so far: **13 apples**\n\n**Final Answer:** 12", 0)

# ---------------------------------------------------------------- issue 14: LaTeX without delimiters in the closing sentence
# The last mathematical expression of the final sentence, read whole, not its last number.
BL = "bare-latex"
add(BL, "\\frac{5}{8}", "We count the favourable cases.\nhence the probability is \\frac{5}{8}.", 1)
add(BL, "\\frac{5}{8}", "There are $8$ outcomes, hence the probability is \\frac{5}{8}.", 1, "not the last number 8")
add(BL, "\\frac{5}{8}", "There are $8$ outcomes, hence the probability is \\frac{3}{8}.", 0)
add(BL, "\\frac{\\pi}{6}", "Using the unit circle, the angle is \\frac{\\pi}{6} radians.", 1, "not the last number 6")
add(BL, "\\frac{\\pi}{6}", "Using the unit circle, the angle is \\frac{\\pi}{3} radians.", 0)
add(BL, "2x^2-3", "Dividing $2x^3 - 3x$ by $x$, the quotient is 2x^2 - 3.", 1, "not the fragment 3")
add(BL, "2x^2-3", "Dividing $2x^3 - 3x$ by $x$, the quotient is 2x^2 + 3.", 0)
add(BL, "x+1", "Carrying out the long division, the remainder is x + 1.", 1)
add(BL, "2\\sqrt{3}", "Hence the length is 2\\sqrt{3} units.", 1)
add(BL, "2\\sqrt{3}", "Hence the length is 3\\sqrt{2} units.", 0)
add(BL, "\\frac{3}{4}", "Simplifying gives \\dfrac{3}{4}, which is the answer.", 1)
add(BL, "\\frac{3}{4}", "Simplifying gives \\dfrac{4}{3}, which is the answer.", 0)
add(BL, "-\\frac{7}{2}", "By Vieta, the sum of the roots is -\\frac{b}{a} = -\\frac{7}{2}.", 1)
add(BL, "-\\frac{7}{2}", "By Vieta, the sum of the roots is -\\frac{b}{a} = -\\frac{5}{2}.", 0)
add(BL, "\\frac{-1+\\sqrt{5}}{2}", "Taking the positive root, x = \\frac{-1 + \\sqrt{5}}{2}.", 1)
add(BL, "\\frac{-1+\\sqrt{5}}{2}", "Taking the positive root, x = \\frac{-1 + \\sqrt{3}}{2}.", 0)
add(BL, "36\\pi", "Using V = \\frac{4}{3}\\pi r^3 with r = 3, the volume is 36\\pi cubic units.", 1, "not the last number 36")
add(BL, "36", "Using V = \\frac{4}{3}\\pi r^3 with r = 3, the volume is 36\\pi cubic units.", 0)
add(BL, "e^2", "Evaluating the limit, the final count is e^{2}.", 1)
add(BL, "\\ln 2", "Differentiating, the derivative at 0 is \\ln 2.", 1)
add(BL, "\\ln 2", "Differentiating, the derivative at 0 is \\ln 3.", 0)
add(BL, "\\frac{2}{3}", "With 4 red and 6 blue marbles, the ratio is \\frac{2}{3}.", 1, "not the last number 3")
add(BL, "\\frac{2}{3}", "With 4 red and 6 blue marbles, the ratio is \\frac{3}{2}.", 0)
add(BL, "(x-1)^2", "The expression simplifies to x^2 - 2x + 1 for every x.", 1)
add(BL, "(x-1)^2", "The expression simplifies to x^2 + 2x + 1 for every x.", 0)

# ---------------------------------------------------------------- issue 14: the percent sign omitted or added
PS = "percent-sign"
add(PS, "35\\%", "\\boxed{35}", 1, "sign omitted")
add(PS, "35\\%", "\\boxed{36}", 0)
add(PS, "35\\%", "\\boxed{0.35}", 0, "the fraction reading is an option")
add(PS, "35\\%", "\\boxed{0.35}", 1, "", MV)
add(PS, "60", "\\boxed{60\\%}", 1, "sign added")
add(PS, "60", "\\boxed{0.6}", 0)
add(PS, "60", "\\boxed{60\\%}", 0, "math-verify: 60% is 0.6", MV)
add(PS, "60", "\\boxed{60\\%}", 1, "", EITHER)
add(PS, "35\\%", "**Final Answer:** 35%", 1)
add(PS, "35\\%", "So the percentage is 35.", 1)
add(PS, "35\\%", "So the percentage is 53.", 0)
add(PS, "12.5\\%", "\\boxed{12.5\\%}", 1)
add(PS, "12.5\\%", "\\boxed{\\frac{25}{2}}", 1)
add(PS, "12.5", "so the rate is 12.5 percent.", 1)
add(PS, "12.5", "so the rate is 125 percent.", 0)
add(PS, "0.35", "\\boxed{35\\%}", 0)
add(PS, "0.35", "\\boxed{35\\%}", 1, "", MV)
add(PS, "40\\%", "$\\boxed{40}$%", 1)
add(PS, "40\\%", "The discount is 40 pct.", 1)
add(PS, "40\\%", "The discount is 4 pct.", 0)
add(PS, "40\\%", "\\boxed{0.4}", 1, "", EITHER)
add(PS, "40\\%", "\\boxed{0.04}", 0, "", EITHER)
add(PS, "\\frac{1}{4}", "\\boxed{25\\%}", 0)
add(PS, "\\frac{1}{4}", "\\boxed{25\\%}", 1, "", MV)
add(PS, "100", "\\boxed{100\\%}", 1)

# ---------------------------------------------------------------- issue 14: answers that are not answers
# A completion that only restates the question's expression, and degenerate repetition.
NA = "not-an-answer"
add(NA, "56", "the task is to compute $7 \\times 8$", 0, "restates the question, no value")
add(NA, "56", "the task is to compute $7 \\times 8$, which is $56$.", 1)
add(NA, "56", "\\boxed{7 \\times 8}", 0, "the prompt asks for this expression", prompt="Compute $7 \\times 8$.")
add(NA, "56", "\\boxed{56}", 1, "", prompt="Compute $7 \\times 8$.")
add(NA, "56", "\\boxed{7 \\times 8}", 1, "no prompt: a boxed product is an answer (Math-Verify)")
add(NA, "\\frac{3}{4}", "We need to simplify \\frac{6}{8}.", 0)
add(NA, "\\frac{3}{4}", "We need to simplify \\frac{6}{8}. Dividing both parts by 2 gives \\frac{3}{4}.", 1)
add(NA, "1024", "Evaluate $2^{10}$.", 0)
add(NA, "1024", "\\boxed{2^{10}}", 0, "", prompt="What is $2^{10}$?")
add(NA, "1024", "\\boxed{1024}", 1, "", prompt="What is $2^{10}$?")
add(NA, "1024", "\\boxed{2^{10}}", 1, "the prompt names it without asking to compute it", prompt="Which is larger, $2^{10}$ or $10^3$? Give the larger one.")
add(NA, "15", "The question asks us to find $3 \\cdot 5$.", 0)
add(NA, "15", "We find $3 \\cdot 5 = 15$.", 1)
add(NA, "12", "Compute 3 \\times 4", 0)
add(NA, "x^2-1", "\\boxed{(x-1)(x+1)}", 0, "", prompt="Expand $(x-1)(x+1)$.")
add(NA, "x^2-1", "\\boxed{x^2-1}", 1, "", prompt="Expand $(x-1)(x+1)$.")
add(NA, "(x-1)(x+1)", "\\boxed{x^2-1}", 0, "", prompt="Factor $x^2-1$ completely.")
add(NA, "(x-1)(x+1)", "\\boxed{(x-1)(x+1)}", 1, "", prompt="Factor $x^2-1$ completely.")
add(NA, "7", "7 " * 3000, 0, "degenerate: one token repeated")
add(NA, "42", "The answer is 42. " * 400, 0, "degenerate: one sentence repeated")
add(NA, "42", "\\boxed{42}" * 300, 0, "degenerate: the same box repeated")
add(NA, "42", "wait " * 1000 + "42", 0, "degenerate loop, then the reference as the last token")
add(NA, "3", "3" * 5000, 0, "degenerate: one digit repeated")
add(NA, "42", "Let me check again. " * 50 + "So the answer is \\boxed{42}.", 1, "a loop the model recovered from")
add(NA, "42", "hmm " * 500 + "\\boxed{42}", 1, "a boxed answer after a loop is a deliberate final answer")
add(NA, "42", "hmm " * 500 + "\\boxed{24}", 0)
add(NA, "5", "We count 1, 2, 3, 4, 5 and get 5.", 1, "a short sequence is not degenerate")
add(NA, "0", "The matrix is all zeros: " + "0 " * 20 + "so the answer is \\boxed{0}.", 1, "a short run inside the text")

# ---------------------------------------------------------------- unusable references: skipped
K = "unusable-reference"
for ref in ["", "   ", "\\frac{1}{", "\\begin{pmatrix} 1 & 2", "This proof shows that the claim holds for every n by induction, as required.", "$$", "\\unknowncommand{3}", "((1,2)"]:
    add(K, ref, "\\boxed{1}", "skipped")
    add(K, ref, "The answer is 2.", "skipped")

# ---------------------------------------------------------------- issue 14: references that are not answers
# Placeholders and prose without mathematical content are skipped; short answers in words are still scored.
PR = "placeholder-reference"
for ref in ["see above", "(omitted)", "TBD", "N/A", "n/a", "See solution.", "\\text{see above}", "[omitted]", "To be determined",
            "Not provided", "The solution is left as an exercise to the reader", "Please refer to the textbook", "?", "---", "Answer", "New York"]:
    add(PR, ref, "\\boxed{1}", "skipped")
    add(PR, ref, "The answer is see above.", "skipped")
add(PR, "Evelyn", "Evelyn", 1, "one word is an answer")
add(PR, "Evelyn", "\\boxed{\\text{Briana}}", 0)
add(PR, "\\text{Tuesday}", "\\boxed{\\text{Tuesday}}", 1)
add(PR, "\\text{Tuesday}", "\\boxed{\\text{Monday}}", 0)
add(PR, "yes", "\\boxed{\\text{Yes}}", 1)
add(PR, "yes", "\\boxed{\\text{No}}", 0)

out = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "verify-corpus.json")
with open(out, "w") as handle:
    json.dump(cases, handle, indent=1, ensure_ascii=False)
    handle.write("\n")
# Every equivalence pair in every completion template (verify-pairs.test.ts).
with open(os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "verify-pairs.json"), "w") as handle:
    json.dump({"templates": TEMPLATES + EXTRA_TEMPLATES, "pairs": PAIRS}, handle, indent=1, ensure_ascii=False)
    handle.write("\n")
from collections import Counter
counts = Counter((case["category"], str(case["expected"])) for case in cases)
print(len(cases), "cases")
for key in sorted(counts): print(key, counts[key])
