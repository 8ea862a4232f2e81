import { parseSpans, type ParseSpansOptions } from './span-parse.js';

function spansOf(text: string, options: ParseSpansOptions = {}): Array<[number, number]> {
  return parseSpans(text, options).spans.map((span) => [span.start, span.end]);
}

// Every template the issue lists, filled with several (start, end) pairs: the expected spans are the
// numbers written into the template, converted by hand where the template writes clock times.
const pairs: Array<[number, number]> = [
  [12.5, 15],
  [0, 3.2],
  [7, 9.75],
  [100.25, 130],
];
const decimal = (value: number): string => (Number.isInteger(value) ? value.toFixed(1) : String(value));
const secondsTemplates: Array<[string, (s: number, e: number) => string]> = [
  ['from … to … seconds', (s, e) => `The event happens from ${s} to ${e} seconds.`],
  ['between … and …', (s, e) => `It occurs between ${s} and ${e}.`],
  ['[s, e]', (s, e) => `[${decimal(s)}, ${decimal(e)}]`],
  ['(s, e)', (s, e) => `(${s}, ${e})`],
  ['12.5s-15s', (s, e) => `${s}s-${e}s`],
  ['en dash with unit after', (s, e) => `${s}–${e} s`],
  ['em dash', (s, e) => `${s} — ${e} seconds`],
  ['starts at … ends at …', (s, e) => `The person starts at ${s} s and ends at ${e} s.`],
  ['begins … finishes', (s, e) => `It begins at ${s} seconds, and finishes at ${e} seconds`],
  ['until', (s, e) => `From ${s} until ${e}.`],
  ['till', (s, e) => `${s} s till ${e} s`],
  ['through', (s, e) => `${s} through ${e} seconds`],
  ['tilde', (s, e) => `${s}~${e}s`],
  ['arrow', (s, e) => `${s} -> ${e}`],
  ['unicode arrow', (s, e) => `${s} → ${e}`],
  ['sec abbreviation', (s, e) => `from ${s} sec to ${e} sec`],
  ['secs', (s, e) => `${s} secs to ${e} secs`],
  ['JSON object', (s, e) => `{"start": ${s}, "end": ${e}}`],
  ['JSON start_time', (s, e) => `{"start_time": ${s}, "end_time": ${e}}`],
  ['JSON in a list', (s, e) => `[{"start": ${s}, "end": ${e}}]`],
  ['JSON strings', (s, e) => `{"start": "${s}", "end": "${e}"}`],
  ['nested list', (s, e) => `[[${s}, ${e}]]`],
  ['timestamps key', (s, e) => `{"timestamps": [${s}, ${e}]}`],
  ['answer block', (s, e) => `<think>maybe 1 to 2</think><answer>${s} to ${e}</answer>`],
  ['answer tag, bare pair', (s, e) => `<answer>${s}, ${e}</answer>`],
  ['Answer: s, e', (s, e) => `Answer: ${s}, ${e}`],
  ['start/end lines', (s, e) => `Start: ${s}s\nEnd: ${e}s`],
  ['Start time / End time lines', (s, e) => `Start time: ${s} seconds\nEnd time: ${e} seconds`],
  ['numbered line', (s, e) => `1. ${s} - ${e} s`],
  ['bullet', (s, e) => `- ${s}-${e}s`],
  ['bold markdown', (s, e) => `**${s}s** to **${e}s**`],
  ['quoted', (s, e) => `"${s}" to "${e}"`],
  ['approximately', (s, e) => `from approximately ${s} to about ${e} seconds`],
  ['up to', (s, e) => `${s} s up to ${e} s`],
  ['semicolon in brackets', (s, e) => `[${s}; ${e}]`],
  ['full-width parentheses', (s, e) => `（${s}，${e}）`],
  ['s e in the middle of prose', (s, e) => `The dog jumps over the fence from ${s}s to ${e}s while the owner watches.`],
  ['The answer is', (s, e) => `The answer is ${s} to ${e}.`],
  ['Time-R1 style', (s, e) => `<think>The man picks up the cup.</think> <answer>${decimal(s)} to ${decimal(e)}</answer>`],
  ['segment label', (s, e) => `Segment 1: ${s}-${e}`],
  ['event label', (s, e) => `Event 3: from ${s} to ${e} s`],
  ['hash label', (s, e) => `#2 ${s} to ${e}`],
  ['span tag', (s, e) => `<span>${s}-${e}</span>`],
  ['no space en dash', (s, e) => `${s}–${e}`],
  ['minus sign U+2212', (s, e) => `${s} − ${e}`],
  ['wave dash', (s, e) => `${s}〜${e}`],
];

const clock = (seconds: number, hours: boolean): string => {
  const whole = Math.floor(seconds);
  const fraction = seconds - whole;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const pad = (value: number): string => String(value).padStart(2, '0');
  const tail = fraction > 0 ? `.${String(Math.round(fraction * 100)).padStart(2, '0').replace(/0$/, '')}` : '';
  return hours ? `${pad(h)}:${pad(m)}:${pad(s)}${tail}` : `${pad(m)}:${pad(s)}${tail}`;
};
const clockTemplates: Array<[string, (s: number, e: number) => string]> = [
  ['mm:ss range', (s, e) => `${clock(s, false)} - ${clock(e, false)}`],
  ['hh:mm:ss range', (s, e) => `${clock(s, true)}-${clock(e, true)}`],
  ['from mm:ss to mm:ss', (s, e) => `from ${clock(s, false)} to ${clock(e, false)}`],
  ['SRT arrow', (s, e) => `${clock(s, true)} --> ${clock(e, true)}`],
  ['JSON clock strings', (s, e) => `{"start": "${clock(s, true)}", "end": "${clock(e, true)}"}`],
  ['between clock', (s, e) => `between ${clock(s, false)} and ${clock(e, false)}`],
];

describe('parseSpans: every listed format', () => {
  for (const [name, template] of secondsTemplates) {
    for (const [start, end] of pairs) {
      const text = template(start, end);
      it(`${name}: ${JSON.stringify(text)}`, () => {
        expect(spansOf(text)).toEqual([[start, end]]);
      });
    }
  }
  for (const [name, template] of clockTemplates) {
    for (const [start, end] of pairs) {
      const text = template(start, end);
      it(`${name}: ${JSON.stringify(text)}`, () => {
        const spans = spansOf(text);
        expect(spans).toHaveLength(1);
        expect(spans[0]?.[0]).toBeCloseTo(start, 9);
        expect(spans[0]?.[1]).toBeCloseTo(end, 9);
      });
    }
  }
});

describe('parseSpans: units, compounds and clocks (hand-converted)', () => {
  const cases: Array<[string, Array<[number, number]>]> = [
    ['1 min 5 s to 1 min 10 s', [[65, 70]]],
    ['1m5s-1m10.5s', [[65, 70.5]]],
    ['1h05m-1h06m', [[3900, 3960]]],
    ['2 minutes and 5 seconds to 2 minutes and 30 seconds', [[125, 150]]],
    ['1 to 2 minutes', [[60, 120]]],
    ['from 1.5 to 2 min', [[90, 120]]],
    ['0.5 h to 1 h', [[1800, 3600]]],
    ['from 1 hour to 1 hour 30 minutes', [[3600, 5400]]],
    ['500 ms to 1500 ms', [[0.5, 1.5]]],
    ['from 1 min to 90 s', [[60, 90]]],
    ['1:05 to 1:10', [[65, 70]]],
    ['0:05.5-0:07.25', [[5.5, 7.25]]],
    ['01:02:03 - 01:02:04.5', [[3723, 3724.5]]],
    ['00:00:12,500 --> 00:00:15,000', [[12.5, 15]]],
    ['from 0:59 to 1:01', [[59, 61]]],
    ['1:00 to 75', [[60, 75]]],
    ['.5 to 1.25 s', [[0.5, 1.25]]],
    ['from 3 min 20 sec until 3 min 45 sec', [[200, 225]]],
    ['12.0s to 15.00s', [[12, 15]]],
    ['from 0 to 0', [[0, 0]]],
    ['from 15 to 12.5', [[15, 12.5]]],
    ['from -2 to 5', [[-2, 5]]],
    ['from 10 s to 10 s', [[10, 10]]],
    ['1 min, 5 s - 2 min', [[65, 120]]],
    ['\u4ece12.5\u79d2\u523015\u79d2', [[12.5, 15]]],
    ['12.5\u79d2\u81f315\u79d2', [[12.5, 15]]],
    ['\u7b2c1\u52065\u79d2\u5230\u7b2c1\u520610\u79d2', [[65, 70]]],
    ['\u4e8b\u4ef6\u53d1\u751f\u572812\u523015\u79d2\u4e4b\u95f4', [[12, 15]]],
    ['start time: 12.5, end time: 15.0', [[12.5, 15]]],
    ['Timestamps: 00:12.5-00:15.0', [[12.5, 15]]],
    ['from second 12 to second 15', [[12, 15]]],
    ['<answer>12.5,15.0</answer>', [[12.5, 15]]],
    ['The video shows 2 dogs from 3 to 5 s', [[3, 5]]],
    ['around 12 to around 15 seconds', [[12, 15]]],
    ['1:05 \u2013 1:10 (mm:ss)', [[65, 70]]],
    ['from 0.5 minutes to 1 minute', [[30, 60]]],
    ['[12.5s, 15.0s]', [[12.5, 15]]],
    ['12.5 seconds - 15.0 seconds', [[12.5, 15]]],
    ['The event occurs between 0:32 and 0:45.', [[32, 45]]],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      const spans = spansOf(text);
      expect(spans).toHaveLength(expected.length);
      spans.forEach((span, index) => {
        expect(span[0]).toBeCloseTo((expected[index] as [number, number])[0], 9);
        expect(span[1]).toBeCloseTo((expected[index] as [number, number])[1], 9);
      });
    });
  }
});

describe('parseSpans: several spans', () => {
  const cases: Array<[string, Array<[number, number]>]> = [
    ['from 1 to 3 and from 5 to 7', [[1, 3], [5, 7]]],
    ['1-3 and 5-7', [[1, 3], [5, 7]]],
    ['[[1, 2], [3, 4]]', [[1, 2], [3, 4]]],
    ['[[1.2,3.4],[5.6,7.8],[9,10]]', [[1.2, 3.4], [5.6, 7.8], [9, 10]]],
    ['{"timestamps": [[0.0, 3.5], [10, 12.25]]}', [[0, 3.5], [10, 12.25]]],
    ['[{"start": 1, "end": 2}, {"start": 4, "end": 6}]', [[1, 2], [4, 6]]],
    ['1. 3-5 s\n2. 7-9 s', [[3, 5], [7, 9]]],
    ['1) 0:01-0:03\n2) 0:10-0:12', [[1, 3], [10, 12]]],
    ['- 2 to 4\n- 6 to 8\n- 10 to 12', [[2, 4], [6, 8], [10, 12]]],
    ['0.0 - 3.0, 10.0 - 12.0', [[0, 3], [10, 12]]],
    ['Event 1: 10-20 s, Event 2: 30-40 s', [[10, 20], [30, 40]]],
    ['the person opens the door (2.3, 5.1) and closes it (7.0, 9.8).', [[2.3, 5.1], [7, 9.8]]],
    ['from 12.5 to 15 (the man runs), then 20 to 30', [[12.5, 15], [20, 30]]],
    ['from 12 seconds to 15 seconds and from 20 to 25 s', [[12, 15], [20, 25]]],
    ['Start: 1s\nEnd: 2s\nStart: 5s\nEnd: 6s', [[1, 2], [5, 6]]],
    ['between 1 and 2, and between 3 and 4', [[1, 2], [3, 4]]],
    ['[0, 2], [2, 4], [4, 6]', [[0, 2], [2, 4], [4, 6]]],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => expect(spansOf(text)).toEqual(expected));
  }
});

describe('parseSpans: what is not a span', () => {
  const cases: string[] = [
    '',
    'I cannot tell from the video.',
    'at 12 s',
    'The key moment is at 00:12.',
    'The video is 95 seconds long.',
    'The video is 95 seconds long and has 3 scenes.',
    'There are 3 scenes and 2 people.',
    'between 2 and 3 scenes',
    '10 to 20 people',
    'The clip lasts 12 seconds.',
    'a duration of 30 s',
    'It was filmed on 2023-05-01.',
    'Qwen2.5-VL-7B answers this.',
    'version 1.2.3',
    'about 50% of the video',
    'the 3rd and 4th shots',
    '<think>from 1 to 2</think>',
    '<think>from 1 to 2</think><answer>I am not sure</answer>',
    'from 1 to 2</think><answer></answer>',
    'from 1 to 2</think>',
    'x264 and h265',
    'it happens 3 times, at 5 and then later',
    'Step 1: watch. Step 2: answer.',
    'from the start to the end',
    'the whole video',
    'frame 30 to frame 45',
    '12.5',
    'The man walks 5 meters in 3 seconds.',
    '1920x1080 at 30 fps',
    'Chapter 3',
    '3\u4e2a\u573a\u666f',
    'The 2 dogs and 3 cats',
    'released in 2019',
    'at 00:12 the man sits; at 00:15 he stands',
  ];
  for (const text of cases) {
    it(JSON.stringify(text), () => expect(spansOf(text)).toEqual([]));
  }
});

describe('parseSpans: where spans are read', () => {
  it('reads only the last answer block when there is one', () => {
    expect(spansOf('I think 1 to 2. <answer>3 to 4</answer> and 5 to 6')).toEqual([[3, 4]]);
    expect(spansOf('<answer>1 to 2</answer><answer>3 to 4</answer>')).toEqual([[3, 4]]);
  });
  it('reads the whole completion with extract anywhere (think blocks still removed)', () => {
    expect(spansOf('I think 1 to 2. <answer>3 to 4</answer>', { extract: 'anywhere' })).toEqual([[1, 2], [3, 4]]);
    expect(spansOf('<think>0 to 1</think> 1 to 2 <answer>3 to 4</answer>', { extract: 'anywhere' })).toEqual([[1, 2], [3, 4]]);
  });
  it('a span inside <think> never counts, also an answer block inside think', () => {
    expect(spansOf('<think><answer>1 to 2</answer></think> the answer is 3 to 4')).toEqual([[3, 4]]);
    expect(spansOf('<think>1 to 2')).toEqual([]);
  });
  it('an unclosed answer block runs to the end', () => {
    expect(spansOf('<answer>from 1 to 2')).toEqual([[1, 2]]);
  });
  it('a custom answer tag', () => {
    expect(spansOf('<time>4 to 5</time> 1 to 2', { answerTag: 'time' })).toEqual([[4, 5]]);
  });
  it('reports the region', () => {
    expect(parseSpans('<answer>1-2</answer>').region).toBe('answer');
    expect(parseSpans('1-2').region).toBe('text');
  });
  it('upper-case tags', () => {
    expect(spansOf('<ANSWER>7 to 8</ANSWER>')).toEqual([[7, 8]]);
  });
});

describe('parseSpans: frame numbers', () => {
  it('converts frames with fps', () => {
    expect(spansOf('frame 30 to frame 45', { fps: 10 })).toEqual([[3, 4.5]]);
    expect(spansOf('frames 30-45', { fps: 30 })).toEqual([[1, 1.5]]);
    expect(spansOf('f30–f45', { fps: 15 })).toEqual([[2, 3]]);
    expect(spansOf('30 to 60 frames', { fps: 30 })).toEqual([[1, 2]]);
  });
  it('bare numbers are frames with bareUnit frames', () => {
    expect(spansOf('[10, 20]', { fps: 5, bareUnit: 'frames' })).toEqual([[2, 4]]);
    expect(spansOf('[10, 20]', { fps: 5 })).toEqual([[10, 20]]);
    expect(spansOf('from 1 s to 3 s', { fps: 5, bareUnit: 'frames' })).toEqual([[1, 3]]);
  });
  it('frames without fps are no span and leave a note', () => {
    const parsed = parseSpans('frame 30 to frame 45');
    expect(parsed.spans).toEqual([]);
    expect(parsed.notes.join(' ')).toMatch(/fps/);
  });
  it('a lone timestamp leaves a note', () => {
    expect(parseSpans('at 12 s').notes.join(' ')).toMatch(/lone timestamp/);
  });
});

describe('parseSpans: garbage', () => {
  it('non-strings and control characters give no span', () => {
    expect(parseSpans(undefined as unknown as string).spans).toEqual([]);
    expect(parseSpans(42 as unknown as string).spans).toEqual([]);
    expect(spansOf('\u0000\u0001 1 to 2 \u0007')).toEqual([[1, 2]]);
  });
  it('the text of a span is kept for reasons', () => {
    expect(parseSpans('The event is from 12.5 to 15 s.').spans[0]?.text).toBe('12.5 to 15 s');
  });
});
