import { idArray, TokenTable } from './token-table.js';

describe('TokenTable', () => {
  test('a token has one id whether looked up as a string or as a range of a line, through every growth', () => {
    const table = new TokenTable();
    const words = Array.from({ length: 5000 }, (_, index) => `w${index.toString(36)}`);
    const ids = words.map((word) => table.idOf(word));
    expect(ids).toEqual(words.map((_, index) => index + 1));
    expect(table.size).toBe(5000);
    const line = ` ${words.join(' ')} `;
    let start = 1;
    for (const [index, word] of words.entries()) {
      expect(table.idOfRange(line, start, start + word.length)).toBe(ids[index]);
      start += word.length + 1;
    }
    expect(table.idOfRange('new token', 4, 9)).toBe(5001);
    expect(table.idOf('token')).toBe(5001);
    expect(Array.from(table.of(['w0', 'token', 'w1']))).toEqual([1, 5001, 2]);
    expect(table.idOf('')).toBe(5002);
  });

  test('id arrays are independent zeroed arrays, short or long', () => {
    const arrays = [idArray(3), idArray(0), idArray(5000), idArray(4)];
    arrays.forEach((array, index) => array.fill(index + 1));
    expect(arrays.map((array) => Array.from(array).every((value, _, all) => value === all[0]) && array.length)).toEqual([3, 0, 5000, 4]);
    expect(Array.from(arrays[0] as Int32Array)).toEqual([1, 1, 1]);
    expect(Array.from(arrays[3] as Int32Array)).toEqual([4, 4, 4, 4]);
    expect(Array.from(idArray(2))).toEqual([0, 0]);
  });
});
