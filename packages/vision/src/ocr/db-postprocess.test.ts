import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  boxScore,
  clipperRoundOffset,
  connectedRegions,
  convexHull,
  dbPostProcess,
  fillPolygonMask,
  forEachLinePixel,
  minAreaRect,
  rectCorners,
  roundHalfEven,
  sortBoxes,
  type Point2,
  type Quad,
} from './db-postprocess.js';
import { warpQuad } from './cv-warp.js';
import { ctcGreedyDecode } from './ctc.js';
import { cropQuad, detectionSize, recognitionTensor, resizeBilinear } from './resize.js';

/** A width x height map with `value` in the given inclusive pixel ranges. */
function mapWith(width: number, height: number, blocks: [x0: number, x1: number, y0: number, y1: number, value: number][]): Float32Array {
  const map = new Float32Array(width * height);
  for (const [x0, x1, y0, y1, value] of blocks) {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) map[y * width + x] = value;
  }
  return map;
}

describe('DB post-processing', () => {
  test('one text block: minimum rectangle, score, unclip and scaling as computed by hand', () => {
    // Pixels x 10..29, y 8..17: the rectangle through the pixel centres is 19 x 9 (area 171, perimeter 56).
    // unclip: d = 171 * 1.5 / 56 = 4.580357…; pyclipper rounds the offset vertices: x 10 - d -> 5, 29 + d -> 34,
    // y 8 - d -> 3, 17 + d -> 22 (the round-join arcs stay inside); scaled x2.
    const map = mapWith(64, 32, [[10, 29, 8, 17, 0.9]]);
    const boxes = dbPostProcess(map, 64, 32, 128, 64);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]?.quad).toEqual([
      [10, 6],
      [68, 6],
      [68, 44],
      [10, 44],
    ]);
    expect(boxes[0]?.score).toBeCloseTo(0.9, 6);
  });

  test('regions thinner than 3 pixels, under the box threshold, or at/under the pixel threshold are dropped', () => {
    const map = mapWith(64, 32, [
      [2, 40, 1, 2, 0.95], // 2 rows tall: short side 1 < 3
      [5, 20, 10, 20, 0.5], // above 0.3, but mean 0.5 < box threshold 0.6
      [30, 50, 10, 20, 0.3], // not above the pixel threshold
    ]);
    expect(dbPostProcess(map, 64, 32, 64, 32)).toEqual([]);
    // A lower box threshold keeps the 0.5 block.
    expect(dbPostProcess(map, 64, 32, 64, 32, { boxThreshold: 0.4 })).toHaveLength(1);
  });

  test('regions are 8-connected and found in raster order', () => {
    const mask = new Uint8Array(5 * 4);
    // A diagonal (one region), and a separate pixel.
    for (const [x, y] of [
      [0, 0],
      [1, 1],
      [2, 2],
      [4, 0],
    ] as const)
      mask[y * 5 + x] = 1;
    const regions = connectedRegions(mask, 5, 4);
    expect(regions).toHaveLength(2);
    expect(regions[0]).toEqual([0, 0, 1, 1, 2, 2]);
    expect(regions[1]).toEqual([4, 0]);
  });

  test('box score is the mean inside the box, boundary included', () => {
    const map = mapWith(10, 10, [[2, 5, 2, 5, 1]]);
    const square: Quad = [
      [2, 2],
      [5, 2],
      [5, 5],
      [2, 5],
    ];
    expect(boxScore(map, 10, 10, square)).toBe(1);
    const wider: Quad = [
      [2, 2],
      [7, 2],
      [7, 5],
      [2, 5],
    ];
    expect(boxScore(map, 10, 10, wider)).toBeCloseTo(16 / 24, 12);
  });

  test('rounding is half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, 2, 3]);
  });

  test('unclip offsets as pyclipper does (integer input, rounded round-join vertices)', () => {
    // Expected vertices printed by pyclipper 1.2.1 (PyclipperOffset, JT_ROUND, ET_CLOSEDPOLYGON, Execute(delta)).
    const cases: [Point2[], number, Point2[]][] = [
      [[[0, 0], [10, 0], [10, 5], [0, 5]], 2, [[12, -1], [12, 5], [11, 7], [0, 7], [-2, 6], [-2, 0], [-1, -2], [10, -2]]],
      [[[0, 0], [10, 0], [10, 5], [0, 5]], 2.6, [[12, -2], [13, 0], [13, 5], [12, 7], [10, 8], [0, 8], [-2, 7], [-3, 5], [-3, 0], [-2, -2], [0, -3], [10, -3]]],
      [[[3.7, 1.2], [20.9, 6.5], [17.2, 18.8], [0.4, 13.6]], 3.3, [[21, 3], [23, 4], [23, 7], [20, 19], [19, 21], [16, 21], [-1, 16], [-3, 15], [-3, 12], [0, 0], [1, -2], [4, -2]]],
    ];
    const key = (points: Point2[]) => convexHull(points.flat()).map(String).sort();
    for (const [polygon, delta, expected] of cases) expect(key(clipperRoundOffset(polygon, delta))).toEqual(key(expected));
  });

  test('lines and polygon masks are the pixels OpenCV draws', () => {
    const line: string[] = [];
    forEachLinePixel([5, 1], [0, 3], (x, y) => line.push(`${x},${y}`));
    // cv2.line(np.zeros((6, 6)), (5, 1), (0, 3), 1): drawn from the left end
    expect(line).toEqual(['0,3', '1,3', '2,2', '3,2', '4,1', '5,1']);
    // cv2.fillPoly of an axis-aligned rectangle covers its corners inclusively; of a triangle, its outline and inside.
    expect(Array.from(fillPolygonMask([[1, 1], [3, 1], [3, 2], [1, 2]], 5, 4)).join('')).toBe('00000' + '01110' + '01110' + '00000');
    expect(Array.from(fillPolygonMask([[0, 0], [4, 0], [0, 4]], 5, 5)).join('')).toBe('11111' + '11110' + '11100' + '11000' + '10000');
  });

  test('matches OpenCV + pyclipper DB post-processing on 40 synthetic maps (make-db-fixtures.py)', () => {
    const fixture = JSON.parse(readFileSync(new URL('../__fixtures__/db-postprocess.json', import.meta.url), 'utf8')) as {
      cases: { width: number; height: number; destWidth: number; destHeight: number; map: number[]; boxes: { quad: Quad; score: number }[] }[];
    };
    let boxes = 0;
    for (const item of fixture.cases) {
      const map = new Float32Array(item.width * item.height);
      let offset = 0;
      for (let index = 0; index < item.map.length; index += 2) map.fill((item.map[index] as number) / 100, offset, (offset += item.map[index + 1] as number));
      const order = (entry: { quad: Quad }) => entry.quad[0][1] * 1e4 + entry.quad[0][0];
      const mine = dbPostProcess(map, item.width, item.height, item.destWidth, item.destHeight).sort((a, b) => order(a) - order(b));
      const theirs = [...item.boxes].sort((a, b) => order(a) - order(b));
      expect(mine).toHaveLength(theirs.length);
      mine.forEach((box, index) => {
        const expected = theirs[index] as { quad: Quad; score: number };
        // Corners within 1 pixel and scores within 0.05: OpenCV rounds box corners through float32 before truncating them.
        box.quad.forEach((corner, c) => {
          expect(Math.abs(corner[0] - (expected.quad[c] as Point2)[0])).toBeLessThanOrEqual(1);
          expect(Math.abs(corner[1] - (expected.quad[c] as Point2)[1])).toBeLessThanOrEqual(1);
        });
        expect(Math.abs(box.score - expected.score)).toBeLessThan(0.05);
        boxes++;
      });
    }
    expect(boxes).toBe(35);
  });

  test('the minimum-area rectangle encloses every point and is never larger than the axis-aligned box', () => {
    const point = fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 3, maxLength: 30 }), (points) => {
        const hull = convexHull(points.flat());
        const rect = minAreaRect(hull);
        const xs = points.map((p) => p[0]);
        const ys = points.map((p) => p[1]);
        const boxArea = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
        expect(rect.width * rect.height).toBeLessThanOrEqual(boxArea + 1e-6);
        const [ux, uy] = rect.axis;
        for (const [x, y] of points) {
          const du = (x - rect.center[0]) * ux + (y - rect.center[1]) * uy;
          const dv = -(x - rect.center[0]) * uy + (y - rect.center[1]) * ux;
          expect(Math.abs(du)).toBeLessThanOrEqual(rect.width / 2 + 1e-6);
          expect(Math.abs(dv)).toBeLessThanOrEqual(rect.height / 2 + 1e-6);
        }
      }),
    );
  });

  test('a rotated rectangle of pixels gives back its angle and sides', () => {
    // Points of a 40 x 10 rectangle turned by atan(3/4): an exact integer lattice.
    const points: number[] = [];
    for (let i = 0; i <= 8; i++) for (let j = 0; j <= 2; j++) points.push(4 * i - 3 * j, 3 * i + 4 * j);
    const rect = minAreaRect(convexHull(points));
    expect(rect.width * rect.height).toBeCloseTo(400, 9);
    expect(Math.max(rect.width, rect.height)).toBeCloseTo(40, 9);
    const corners = rectCorners(rect);
    // Corners (0, 0), (32, 24), (26, 32), (-6, 8): of the two leftmost, the upper one is top-left.
    const rounded = corners.map(([x, y]) => [Math.round(x), Math.round(y)]);
    expect(rounded).toEqual([
      [0, 0],
      [32, 24],
      [26, 32],
      [-6, 8],
    ]);
  });

  test('reading order: by row, and left to right within 10 pixels of height', () => {
    const box = (x: number, y: number) => ({
      quad: [
        [x, y],
        [x + 5, y],
        [x + 5, y + 5],
        [x, y + 5],
      ] as Quad,
    });
    const sorted = sortBoxes([box(100, 52), box(0, 50), box(50, 0), box(0, 5)]).map((entry) => entry.quad[0]);
    expect(sorted).toEqual([
      [0, 5],
      [50, 0],
      [0, 50],
      [100, 52],
    ] as Point2[]);
  });
});

describe('PP-OCR pre- and post-processing pieces', () => {
  test('CTC greedy decoding merges repeats and drops blanks', () => {
    // classes: 0 blank, 1 'a', 2 'b'; steps: a a blank a b b
    const argmax = [1, 1, 0, 1, 2, 2];
    const probabilities = new Float32Array(argmax.length * 3);
    argmax.forEach((best, step) => {
      for (let index = 0; index < 3; index++) probabilities[step * 3 + index] = index === best ? 0.5 : 0.25;
    });
    const decoded = ctcGreedyDecode(probabilities, 6, 3, ['a', 'b']);
    expect(decoded.text).toBe('aab');
    expect(decoded.score).toBeCloseTo(0.5, 6);
    expect(ctcGreedyDecode(new Float32Array([1, 0, 0, 1, 0, 0]), 2, 3, ['a', 'b'])).toEqual({ text: '', score: 0 });
  });

  test('detector input sizes: multiples of 32, longest side at most the limit', () => {
    expect(detectionSize(320, 96, 960)).toEqual([320, 96]);
    expect(detectionSize(100, 50, 960)).toEqual([96, 64]);
    expect(detectionSize(10, 10, 960)).toEqual([32, 32]);
    expect(detectionSize(80, 112, 960)).toEqual([64, 128]); // 2.5 -> 2 and 3.5 -> 4, as Python's round
    expect(detectionSize(1920, 1080, 960)).toEqual([960, 544]);
  });

  test('recognition tensors are 48 high, at least 320 wide, in [-1, 1], padded with 0', () => {
    const crop = { data: new Uint8Array(100 * 50 * 3).fill(255), width: 100, height: 50 };
    const small = recognitionTensor(crop);
    expect(small.width).toBe(320);
    expect(small.data.length).toBe(3 * 48 * 320);
    expect(small.data[0]).toBe(1); // white
    expect(small.data[95]).toBe(1); // last resized column: ceil(48 * 2) = 96 wide
    expect(small.data[96]).toBe(0); // padding
    const wide = recognitionTensor({ data: new Uint8Array(1000 * 20 * 3), width: 1000, height: 20 });
    expect(wide.width).toBe(2400);
    expect(wide.data[0]).toBe(-1); // black
    // A model that fixes its input (PP-OCRv2: 32 x 320): the crop is squeezed to fit the width.
    const fixed = recognitionTensor({ data: new Uint8Array(1000 * 20 * 3), width: 1000, height: 20 }, 32, 320);
    expect(fixed.width).toBe(320);
    expect(fixed.data.length).toBe(3 * 32 * 320);
    expect(fixed.data[319]).toBe(-1); // resized to the full width: no padding
  });

  test('detector input resizing is bit-exact with cv2.resize(INTER_LINEAR) (OpenCV 4.6, x86)', () => {
    // Bytes printed by cv2.resize(img, (W, H)).tobytes().hex() for img[y][x][c] = (37x + 91y + 53c + 7xy) % 256.
    const cases: [number, number, number, number, string][] = [
      [9, 7, 16, 12, '00356a0d427721568b366ba04b80b56095ca75aadf89bef49ed3c0b3e845c89532dd1a476a275c063b701b5085285d9222578c30659a467bb05c919972a57c8985939074a9708abf6ca1a982b765988c62af4879705a8f3b709c51867c5f9469578cc1669bd07fb4e997cc8eb0dd25c86c3dbb215649396e1d5284356a964e7fad6791c67aaadf8dc2e0a6db6fb5ea298cc16c9da27cb86f97917d7b6394577e6d7286588d5f73a8598e9c74a9698e8b6eaa58897b6fa4548ab46fa48c80b574a1d62bb39b3dd03a5a8542782b6094487d9f6595af82a0cc96b4aaa1d249ba9444d733617d496d31637b4e6f986075aa417660546f74746593707db3689dcc87bc86a7c05cc6797bb366856c857b70868f8f7cae87996e83a738a36158b6366b2b60954075906297888496a3a390bf9bb17b9eb753c07375af61816b837970878f927eb18c9e738baf3fad6b61c141766196cb77ab949bd03abf8b49dc386c825c7e4b7b956f8db98aa89e9ccc44bb9545df3b698c587c4779916b8cb58297cc95cb8a85ba72699e4a847864a655877f7c6b6d90629374889979877da060918e70b7669794887f6ea36e5388944277acc0f53585b94d235876356a9a5d92b580b554a4b319cd5141b135674f5e8a5282b17aa5da9dcd80aadf35497d570d426c60956a598e844e83af70a58f96cb62679c5751775b7c6c868c7c8481a7559d9167c862929d888975aa796a9e4a63982d22578c3d72a76a9fd396cb88baef2c578c591b5085487db274a996a0d633cd9a37fa36649e5b905287a47fb4419acf04'],
      [23, 17, 8, 6, '7cb1e63a43787cabe06e3d7285b073a3366b7eb3a7d7306590c5468687b078717ab27b5c8cc17e5e93b4af487db9b233a54e83944f84a45186a053879c5489989f8ba9ae8c97bd8eb98a338bac679e6da272a75fad5f945f4b803e738c6692c092c7445388656499bab17a8ba16a7b726b8ca3d83d34698ece275b97a0d55f9471a44c81c4769f7eb3476871a2f2376c'],
    ];
    for (const [width, height, targetWidth, targetHeight, hex] of cases) {
      const data = new Uint8Array(width * height * 3);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (37 * x + 91 * y + 53 * c + 7 * x * y) % 256;
      const resized = resizeBilinear({ data, width, height }, targetWidth, targetHeight);
      expect(Buffer.from(resized.data).toString('hex')).toBe(hex);
    }
  });

  test('box crops are bit-exact with cv2.warpPerspective(INTER_CUBIC, BORDER_REPLICATE) (OpenCV 4.6)', () => {
    // A 41 x 29 image img[y][x][c] = (37x + 91y + 53c + 7xy) % 256; quads (float32) onto int(edge length) rectangles,
    // expected bytes printed by cv2.warpPerspective(img, cv2.getPerspectiveTransform(quad, rect), (w, h), …).tobytes().hex().
    const cases: [Point2[], number, number, string][] = [
      [[[3.5, 8.25], [33.70000076293945, 2.0999999046325684], [36.20000076293945, 14.899999618530273], [6.099999904632568, 21.299999237060547]], 30, 13, "9762847fce5d47833c4f56ac8d70613fb0ddd2477c5251899494c88d23554476d9c9f852376e614f9bfac56a505b38624889daa7f74698564c395d9a72abf6caff4e62644f4154905c96f598e92eec472b78295828478a3d8fcca1d35c497e6560aee7b74b8da3d470477b5063aee7c613483b92c7d25c904f4b827dc3f1b60d594773af99f664ff335d5381bd9fda00ff2957416fa484bff4d0193b0a45784f85bd8dc5b7d5f43e1f40682a679c62a3f0a790d350738ea4d913195078b884b9894697adea361a4f8aa595c99b23586dc5f1ee33444e94acb2a90400549a8dadf4c9243e3382b4a6b5abd517553583b89eade2c5063c1c67a07cb7bebad900d2146b256eaa7eb3ecbee18b94003097ca2c275ca180b6ed2c6095d34d8b6e89a2a7dc293580cdd668ab817b8483c329145baaa18e95630f787ec88889cd29256abab083c0aa16483b9bd0bd90c5ae1b4f3592d6bbb8ca999c3b1251b081bfa08dd84749834a0e5fa24e836580b5173d72d14488c67777b7c5488c8b588d7e29779bbb89a4757e99578587257690af62685f4552a979577b311c73bfbc3a8173195850b6f3df679d923a866fc384976568702b7d58bde7dc769e8540411a74d998c1755e9239659a4453886a5f9261308b9edd6c7ca286bbc53a8893ac8a725a707ab6312a613f57b7ba9344625992ebed38756d66b5b9ba48485c7d74c3c0e449797a65b6acff30207248397ddfc2ea47526d5a4e76d2a78dc5d636806aa33e3c71728dc227578c6364944677ca28275c81b2b0102b75b5dc5a285281c9ca08465a80cced99495889bdcc1f39486fafb9fb262c629498cc00003a61619ed4cf593b35639687d2c5e9235d496dad95ee688d1b403169a5326878a5da143d72949acf4a91da635854a3c7fc324a9a9c91114484d34c38487ba1c906156993aaf6082c6f97aef222386e96a7dc1c295e8893c8050d448c92a6dcf90e53518fafacb30914509385a9f1ea6430176db69ac2c781b612396e95b5f13e7bae98a03996cc3b778298cde13b92927db854729dd3435d878cb8b13c7a8ea67d7067727cb3333f746a7fb41943786978ad1c3266b3769fe4554d889c79c7c10c645eaf8c9ad44a74497076cd6290ce3f4385889fdc457c629cd2428ca976ba3897c7558a3c95c75c5554a67e774263a95981af659dc077b442a0da66b13676b24f8eb45789ae659a385b9054669b40528a5a41896caa7f83a87c92af6499a9638582707c73693c2e62c254afc7922659c7699f5c79d546948897cb3c78c991b54585d0589d7782ca183b7871aad44f8ebdab764a7492b0e84177b3a3da2663b887bc1742767a96cb31487b8099e425359374869e1e3d726b7eb93e7553677f8c7ca4325982bf4a90c0ac1146ae74af3eb2e75d6398c7083d8fb5b3117dc1d96b4a98cf14247e95cc00448ba7f5004c93afe119518fafe4144a8ea1d610376f9bbdec2d4b8eafcb683b5694bbd50044547fb4dc34303976bcbe9913246a935b9d98ed2968a3ca0b70c28f255abf295e5abbf02573afb1174490fc6b3381d61c4464a9aa0a5588c77e3a5f9ad71e4666abe11a4f67a8e01d4664a9d20d426993cbff176077b0f4db3e6f7ab9f53f336484d166b11d6e80b4cc"],
      [[[28.38617706298828, 2.1345317363739014], [38.49428939819336, 7.681000709533691], [36.426578521728516, 11.44927978515625], [26.318466186523438, 5.902810096740723]], 11, 4, "669bd5b9b23aa000622e7db5a1c9d84d204f5996b5e972265566a9cb7aac8151816097e0b8ff39316c5a2f78dcbaef7929646f7dbb82d647213d9ed2e44f8a4799a36196d7c2c562d21a6c5291b9b3e118113d8186cafe962a716cbff4af358f77c8534b84ceacff2d477955338eeed572a7683999aa7db25e1d6a989ed380245699ce03"],
    ];
    const width = 41;
    const height = 29;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (37 * x + 91 * y + 53 * c + 7 * x * y) % 256;
    for (const [quad, targetWidth, targetHeight, hex] of cases) {
      const crop = warpQuad({ data, width, height }, 3, quad, targetWidth, targetHeight);
      expect(Buffer.from(crop.data).toString('hex')).toBe(hex);
    }
  });

  test('tall crops are turned 90 degrees counter-clockwise', () => {
    // A 2 x 4 image, pixel value = its x + 10 y in every channel.
    const width = 2;
    const height = 4;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(x + 10 * y, (y * width + x) * 3, (y * width + x) * 3 + 3);
    const quad: Quad = [
      [0, 0],
      [2, 0],
      [2, 4],
      [0, 4],
    ];
    const crop = cropQuad({ data, width, height }, quad);
    expect([crop.width, crop.height]).toEqual([4, 2]);
    // np.rot90: the right column becomes the top row.
    expect(Array.from({ length: 4 }, (_, x) => crop.data[x * 3])).toEqual([1, 11, 21, 31]);
    expect(Array.from({ length: 4 }, (_, x) => crop.data[(4 + x) * 3])).toEqual([0, 10, 20, 30]);
  });
});
