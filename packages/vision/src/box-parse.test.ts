import fc from 'fast-check';
import { parseShapes } from './box-parse.js';
import { parseLenientJson } from './json-repair.js';

fc.configureGlobal({ seed: 20261122, numRuns: 300 });

const boxes = (completion: string, options = {}) =>
  parseShapes(completion, options)
    .shapes.filter((shape) => shape.kind === 'box')
    .map((shape) => shape.values);

describe('parseShapes', () => {
  test('VLM-R1 JSON with bbox_2d, label and score inside the answer block', () => {
    const completion =
      '<think>two cats</think><answer>```json\n[{"bbox_2d": [10, 20, 110, 220], "label": "cat", "score": 0.9}, {"bbox_2d": [5, 5, 50, 50], "label": "dog"}]\n```</answer>';
    const parsed = parseShapes(completion);
    expect(parsed.region).toBe('answer');
    expect(parsed.shapes).toEqual([
      expect.objectContaining({ kind: 'box', values: [10, 20, 110, 220], label: 'cat', score: 0.9, syntax: 'json' }),
      expect.objectContaining({ kind: 'box', values: [5, 5, 50, 50], label: 'dog', syntax: 'json' }),
    ]);
    expect(parsed.repaired).toBe(false);
  });

  test("Visual-RFT's Python-quoted, truncated answer is repaired to its complete boxes", () => {
    const completion = "<answer>[{'Position': [254, 303, 291, 365], 'Confidence': 0.9}, {'Position': [100, 100, 200, 200], 'Confidence': 0.8}, {'Position': [1, 2";
    const parsed = parseShapes(completion);
    expect(parsed.repaired).toBe(true);
    expect(parsed.shapes.map((shape) => [shape.values, shape.score])).toEqual([
      [[254, 303, 291, 365], 0.9],
      [[100, 100, 200, 200], 0.8],
    ]);
  });

  test('bare lists, nested lists and points', () => {
    expect(boxes('The box is [12.5, 30, 40, 60.25].')).toEqual([[12.5, 30, 40, 60.25]]);
    expect(boxes('<answer>[[1, 2, 3, 4], [5, 6, 7, 8]]</answer>')).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const points = parseShapes('click [320, 240] then {"point_2d": [10, 20], "label": "ok"}').shapes;
    expect(points.map((shape) => [shape.kind, shape.values, shape.label])).toEqual([
      ['point', [320, 240], undefined],
      ['point', [10, 20], 'ok'],
    ]);
  });

  test('Qwen-VL box tokens with an object reference', () => {
    const parsed = parseShapes('<|object_ref_start|>the red car<|object_ref_end|><|box_start|>(120,340),(560,780)<|box_end|>');
    expect(parsed.shapes).toEqual([expect.objectContaining({ kind: 'box', values: [120, 340, 560, 780], label: 'the red car', syntax: 'qwen-token' })]);
  });

  test('<box> tags: InternVL lists and Qwen-VL pairs; <point> tags', () => {
    expect(parseShapes('<ref>dog</ref><box>[[10, 20, 30, 40], [50, 60, 70, 80]]</box>').shapes.map((shape) => [shape.values, shape.label, shape.syntax])).toEqual([
      [[10, 20, 30, 40], 'dog', 'box-tag'],
      [[50, 60, 70, 80], 'dog', 'box-tag'],
    ]);
    expect(boxes('<box>(1,2),(3,4)</box>')).toEqual([[1, 2, 3, 4]]);
    expect(parseShapes('<point>(500, 250)</point>').shapes).toEqual([expect.objectContaining({ kind: 'point', values: [500, 250], syntax: 'point-tag' })]);
  });

  test('tuples: a pair of pairs is a box unless told otherwise; a single pair is a point', () => {
    expect(boxes('(10, 20), (30, 40)')).toEqual([[10, 20, 30, 40]]);
    expect(parseShapes('(10, 20), (30, 40)', { pairsAsBoxes: false }).shapes.map((shape) => shape.kind)).toEqual(['point', 'point']);
    expect(parseShapes('at (7.5, 8)').shapes).toEqual([expect.objectContaining({ kind: 'point', values: [7.5, 8], syntax: 'tuple' })]);
    expect(boxes('(1, 2, 3, 4)')).toEqual([[1, 2, 3, 4]]);
  });

  test('answer block selection: last block, unclosed block, answer-only and anywhere', () => {
    const text = '<think>maybe [0, 0, 1, 1]</think><answer>[1, 1, 2, 2]</answer><answer>[3, 3, 4, 4]</answer>';
    expect(boxes(text)).toEqual([[3, 3, 4, 4]]);
    expect(boxes(text, { extract: 'anywhere' })).toHaveLength(3);
    expect(boxes('<answer>[5, 5, 9, 9] and more')).toEqual([[5, 5, 9, 9]]);
    expect(parseShapes('[1, 2, 3, 4]', { extract: 'answer' })).toEqual({ shapes: [], region: 'none', repaired: false });
    expect(boxes('<ANSWER>[1, 2, 3, 4]</ANSWER>')).toEqual([[1, 2, 3, 4]]);
  });

  test('a malformed box in JSON still counts, with its numbers as written', () => {
    expect(parseShapes('[{"bbox_2d": [1, 2, 3], "label": "x"}]').shapes).toEqual([expect.objectContaining({ kind: 'box', values: [1, 2, 3], label: 'x' })]);
  });

  test('text without shapes gives nothing; hostile input neither throws nor hangs', () => {
    expect(parseShapes('no boxes here, just [words] and {braces}').shapes).toEqual([]);
    expect(parseShapes('['.repeat(20000) + '1, 2, 3, 4').shapes.length).toBeLessThanOrEqual(1);
    expect(() => parseShapes('{'.repeat(5000) + ']'.repeat(5000))).not.toThrow();
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '(', ')', ',', '1', '.', ' ', "'", '"', '<', '>', 'a') }), (text) => {
        const parsed = parseShapes(text);
        return parsed.shapes.every((shape) => shape.values.every((value) => typeof value === 'number'));
      }),
    );
  });

  test('any box written as JSON, list, token or tag is read back exactly', () => {
    const value = fc.integer({ min: 0, max: 100000 }).map((n) => n / 100);
    const writers = [
      (b: number[]) => `<answer>[{"bbox_2d": [${b.join(', ')}], "label": "x"}]</answer>`,
      (b: number[]) => `The answer is [${b.join(',')}].`,
      (b: number[]) => `<|box_start|>(${b[0]},${b[1]}),(${b[2]},${b[3]})<|box_end|>`,
      (b: number[]) => `<box>[[${b.join(', ')}]]</box>`,
      (b: number[]) => `<answer>{'bbox': [${b.join(', ')}], 'label': 'y'`,
    ];
    fc.assert(
      fc.property(fc.array(value, { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: writers.length - 1 }), (box, writer) => {
        const shapes = parseShapes((writers[writer] as (b: number[]) => string)(box)).shapes;
        return shapes.length === 1 && shapes[0]?.kind === 'box' && shapes[0].values.every((v, i) => v === box[i]);
      }),
    );
  });
});

describe('parseLenientJson', () => {
  test('strict JSON is not marked repaired; Python literals and trailing commas are fixed', () => {
    expect(parseLenientJson('[1, 2]')).toEqual({ value: [1, 2], repaired: false });
    expect(parseLenientJson("{'a': None, 'b': True, 'c': [1, 2,],}")).toEqual({ value: { a: null, b: true, c: [1, 2] }, repaired: true });
  });

  test('an apostrophe inside a double-quoted string is kept', () => {
    expect(parseLenientJson(`{"label": "person's hat", 'score': 1}`)).toEqual({ value: { label: "person's hat", score: 1 }, repaired: true });
  });

  test('truncation inside a string or a number cuts back to the last complete element', () => {
    expect(parseLenientJson('[{"a": [1, 2, 3, 4], "label": "c')?.value).toEqual([{ a: [1, 2, 3, 4] }]);
    expect(parseLenientJson('[[1, 2, 3, 4], [5, 6')?.value).toEqual([[1, 2, 3, 4]]);
    expect(parseLenientJson('not json at all')).toBeUndefined();
  });
});
