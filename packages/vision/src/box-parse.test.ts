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

describe('more box syntaxes: corners named in words and keyed JSON objects', () => {
  const first = (completion: string, options = {}) => parseShapes(completion, options).shapes[0];

  test.each([
    ['from top-left (40, 12) to bottom-right (96, 70)', 'The box goes from top-left (40, 12) to bottom-right (96, 70).'],
    ['corners with "corner at"', 'top left corner at (40, 12) and bottom right corner at (96, 70)'],
    ['colons and square brackets', 'Top-left: [40, 12], bottom-right: [96, 70]'],
    ['bottom-right named first', 'bottom-right (96, 70), top-left (40, 12)'],
    ['upper-left / lower-right', 'upper-left (40, 12) to lower-right (96, 70)'],
    ['the other diagonal: top-right and bottom-left', 'top-right (96, 12) and bottom-left (40, 70)'],
    ['underscores and capitals', 'TOP_LEFT=(40,12) BOTTOM_RIGHT=(96,70)'],
  ])('%s is the box [40, 12, 96, 70]', (_name, completion) => {
    expect(first(completion)).toMatchObject({ kind: 'box', values: [40, 12, 96, 70], syntax: 'corners', format: 'xyxy' });
  });

  test('"from (40, 12) to (96, 70)" is a box (corners), as adjacent pairs are; two points when pairs are not boxes', () => {
    expect(first('It spans from (40, 12) to (96, 70).')).toMatchObject({ kind: 'box', values: [40, 12, 96, 70] });
    expect(parseShapes('from (40, 12) to (96, 70)', { pairsAsBoxes: false }).shapes.map((shape) => shape.kind)).toEqual(['point', 'point']);
  });

  test('two corners that are not opposite are two points, not a box', () => {
    expect(parseShapes('top-left (40, 12) and top-right (96, 12)').shapes.map((shape) => [shape.kind, shape.values])).toEqual([
      ['point', [40, 12]],
      ['point', [96, 12]],
    ]);
    expect(parseShapes('top-left (40, 12)').shapes).toEqual([expect.objectContaining({ kind: 'point', values: [40, 12] })]);
  });

  test('inverted corners are parsed as written (the reward rejects the box)', () => {
    expect(first('top-left (96, 70) to bottom-right (40, 12)')?.values).toEqual([96, 70, 40, 12]);
  });

  test.each([
    ['x, y, width, height', '{"x": 40, "y": 12, "width": 56, "height": 58}', [40, 12, 56, 58], 'xywh'],
    ['x, y, w, h', '{"x": 40, "y": 12, "w": 56, "h": 58}', [40, 12, 56, 58], 'xywh'],
    ['xmin, ymin, xmax, ymax', '{"xmin": 40, "ymin": 12, "xmax": 96, "ymax": 70}', [40, 12, 96, 70], 'xyxy'],
    ['x_min … y_max in another order', '{"y_max": 70, "x_min": 40, "x_max": 96, "y_min": 12}', [40, 12, 96, 70], 'xyxy'],
    ['left, top, right, bottom', '{"left": 40, "top": 12, "right": 96, "bottom": 70}', [40, 12, 96, 70], 'xyxy'],
    ['left, top, width, height', '{"left": 40, "top": 12, "width": 56, "height": 58}', [40, 12, 56, 58], 'xywh'],
    ['cx, cy, w, h', '{"cx": 68, "cy": 41, "w": 56, "h": 58}', [68, 41, 56, 58], 'cxcywh'],
    ['x_center, y_center, width, height', '{"x_center": 68, "y_center": 41, "width": 56, "height": 58}', [68, 41, 56, 58], 'cxcywh'],
    ['top_left and bottom_right pairs', '{"top_left": [40, 12], "bottom_right": [96, 70]}', [40, 12, 96, 70], 'xyxy'],
    ['Python quotes, capitals and string numbers', "{'X': '40', 'Y': '12', 'Width': '56', 'Height': '58'}", [40, 12, 56, 58], 'xywh'],
    ['x1, y1, x2, y2', '{"x1": 40, "y1": 12, "x2": 96, "y2": 70}', [40, 12, 96, 70], 'xyxy'],
  ])('keyed object %s', (_name, completion, values, format) => {
    expect(first(completion)).toMatchObject({ kind: 'box', values, format, syntax: 'json' });
  });

  test('a keyed object under a box key keeps its label and score', () => {
    expect(first('[{"label": "cat", "bbox": {"xmin": 40, "ymin": 12, "xmax": 96, "ymax": 70}, "score": 0.8}]')).toMatchObject({
      values: [40, 12, 96, 70],
      format: 'xyxy',
      label: 'cat',
      score: 0.8,
    });
    expect(parseShapes('[{"label": "cat", "x": 1, "y": 2, "w": 3, "h": 4}, {"label": "dog", "left": 5, "top": 6, "right": 7, "bottom": 8}]').shapes.map((shape) => [shape.label, shape.values, shape.format])).toEqual([
      ['cat', [1, 2, 3, 4], 'xywh'],
      ['dog', [5, 6, 7, 8], 'xyxy'],
    ]);
  });

  test('keyed objects that name no box: a point, an incomplete box, non-numbers', () => {
    expect(first('{"x": 40, "y": 12}')).toMatchObject({ kind: 'point', values: [40, 12] });
    // width without height: a malformed box (it still counts as a prediction)
    expect(first('{"x": 40, "y": 12, "width": 56}')).toMatchObject({ kind: 'box', values: [40, 12, 56] });
    expect(parseShapes('{"xmin": 40, "ymin": 12, "xmax": 96}').shapes).toEqual([]);
    expect(parseShapes('{"left": "a", "top": "b", "right": "c", "bottom": "d"}').shapes).toEqual([]);
  });
});

describe('frames and layouts stated in words next to a box', () => {
  const stated = (completion: string) => parseShapes(completion).shapes.map((shape) => shape.stated);

  test.each([
    ['Normalised box: [0.21, 0.30, 0.55, 0.72]', { frame: 'norm1', where: 'before' }],
    ['Normalized bbox [0.21, 0.3, 0.55, 0.72]', { frame: 'norm1' }],
    ['[0.21, 0.30, 0.55, 0.72] (normalized)', { frame: 'norm1', where: 'after' }],
    ['Box [210, 300, 550, 720] (coordinates scaled to 1000)', { frame: 'grid1000', where: 'after' }],
    ['Normalised to 0-1000: [210, 300, 550, 720]', { frame: 'grid1000' }],
    ['on the [0, 1000] grid: [210, 300, 550, 720]', { frame: 'grid1000' }],
    ['In pixel coordinates the box is [210, 150, 550, 360]', { frame: 'pixel' }],
    ['Un-normalized: [210, 150, 550, 360]', { frame: 'pixel' }],
    ['The box (not normalized): [210, 150, 550, 360]', { frame: 'pixel' }],
    ['relative coordinates [0.21, 0.30, 0.55, 0.72]', { frame: 'norm1' }],
    ['As fractions of the image size: [0.21, 0.30, 0.55, 0.72]', { frame: 'norm1' }],
    ['format xywh: top-left corner plus width and height: [210, 150, 340, 210]', { format: 'xywh' }],
    ['Box as [x, y, width, height]: [210, 150, 340, 210]', { format: 'xywh' }],
    ['Center format (cx, cy, w, h): [380, 255, 340, 210]', { format: 'cxcywh' }],
    ['[x1, y1, x2, y2]: [210, 150, 550, 360]', { format: 'xyxy' }],
    ['Normalized xywh box: [0.21, 0.30, 0.34, 0.42]', { frame: 'norm1', format: 'xywh' }],
    ['The image is 1000 pixels wide. Normalised box: [0.21, 0.30, 0.55, 0.72]', { frame: 'norm1' }],
    ['Box [210, 300, 550, 720] (scaled to 1000x1000)', { frame: 'grid1000' }],
    ['bbox (0~1000): [210, 300, 550, 720]', { frame: 'grid1000' }],
    ['[120, 30, 400, 300], pixel coordinates', { frame: 'pixel', where: 'after' }],
    ['Normalized bounding boxes (x_center, y_center, width, height): [0.38, 0.51, 0.34, 0.42]', { frame: 'norm1', format: 'cxcywh' }],
    ['I will output the box in absolute pixel coordinates: {"bbox_2d": [210, 150, 550, 360]}', { frame: 'pixel' }],
    ['The answer is [0.21, 0.30, 0.55, 0.72] where values are normalized by the image size.', { frame: 'norm1', where: 'after' }],
  ])('%s', (completion, expected) => {
    expect(stated(completion)[0]).toMatchObject(expected);
  });

  test('a heading over a list states the frame of every box in it', () => {
    const completion = 'Normalized coordinates:\n- dog: [0.21, 0.30, 0.55, 0.72]\n- cat: [0.1, 0.1, 0.2, 0.2]\n\n### In pixels\n1. [210, 150, 550, 360]';
    expect(stated(completion).map((item) => [item?.frame, item?.where])).toEqual([
      ['norm1', 'heading'],
      ['norm1', 'heading'],
      ['pixel', 'heading'],
    ]);
  });

  test.each([
    ['no statement at all', '[0.21, 0.30, 0.55, 0.72]'],
    ['two frames named at once', 'Normalized or pixel? [0.21, 0.30, 0.55, 0.72]'],
    ['a negated pixel statement claims nothing', 'These are not pixel values: [0.21, 0.30, 0.55, 0.72]'],
    ['a heading cut off by a paragraph', 'Normalized coordinates:\nI looked at the image carefully.\n[210, 150, 550, 360]'],
    ['a sentence about the image, not the box', 'The image is 640 pixels wide; the box is [0.21, 0.30, 0.55, 0.72]'],
    ['the words are in the think block, the box in the answer', '<think>I will use normalized coordinates</think><answer>[210, 150, 550, 360]</answer>'],
    ['"0 to 100" is not the 0-1 range', 'values from 0 to 100: [21, 30, 55, 72]'],
    ['an image size is not a grid', 'A 1000x1000 image; box [210, 300, 550, 720]'],
    ['the next sentence is about something else', '[0.21, 0.30, 0.55, 0.72]. The photo has 12 megapixels.'],
  ])('nothing stated: %s', (_name, completion) => {
    expect(stated(completion)[0]).toBeUndefined();
  });

  test('a heading over a fenced JSON block (Qwen2.5-VL style) states the frame of its boxes', () => {
    const completion = 'Normalized coordinates:\n```json\n[\n  {"bbox_2d": [0.21, 0.30, 0.55, 0.72], "label": "dog"},\n  {"bbox_2d": [0.1, 0.1, 0.2, 0.2], "label": "cat"}\n]\n```';
    expect(stated(completion).map((item) => item?.frame)).toEqual(['norm1', 'norm1']);
  });

  test('a note under the list that speaks of the coordinates states their frame; other prose does not', () => {
    const fenced = '```json\n[{"bbox_2d": [0.21, 0.30, 0.55, 0.72], "label": "dog"}, {"bbox_2d": [0.1, 0.1, 0.2, 0.2]}]\n```\nThe coordinates are normalized to [0, 1].';
    expect(stated(fenced).map((item) => [item?.frame, item?.where])).toEqual([
      ['norm1', 'note'],
      ['norm1', 'note'],
    ]);
    expect(stated('- dog: [210, 300, 550, 720]\n- cat: [0, 0, 100, 100]\n\nAll boxes use the 0-1000 grid.').map((item) => item?.frame)).toEqual(['grid1000', 'grid1000']);
    expect(stated('[0.21, 0.30, 0.55, 0.72]\nI normalized the colours first.')[0]).toBeUndefined();
    expect(stated('[0.21, 0.30, 0.55, 0.72]\nThe dog is on the left.\nThe coordinates are normalized.')[0]).toBeUndefined();
  });

  test('a heading reaches every box of a long list (60 items, blank lines between some)', () => {
    const items = Array.from({ length: 60 }, (_, index) => `${index + 1}. item ${index}: [0.1, 0.1, 0.2, 0.2]${index % 7 === 0 ? '\n' : ''}`);
    const found = stated(`**Normalized coordinates:**\n${items.join('\n')}`);
    expect(found).toHaveLength(60);
    expect(found.every((item) => item?.frame === 'norm1' && item.where === 'heading')).toBe(true);
  });

  test('a statement after one box does not carry over to the next box on the line', () => {
    expect(stated('cat [0.1, 0.2, 0.3, 0.4] normalized, dog [210, 150, 550, 360]').map((item) => item?.frame)).toEqual(['norm1', undefined]);
  });

  test('statedConventions: false reads nothing', () => {
    expect(parseShapes('Normalised box: [0.21, 0.30, 0.55, 0.72]', { statedConventions: false }).shapes[0]?.stated).toBeUndefined();
  });
});
