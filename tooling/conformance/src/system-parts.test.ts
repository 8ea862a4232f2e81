// The heavy-test helper of the jest preset: probes real parts, honours MIXREWARD_HIDE_PARTS.
import { hasSystemPart, missingSystemParts } from '@mixreward/jest-preset/system';

test('node (running this test) is found; an unknown part is an error, not a silent skip', () => {
  expect(hasSystemPart('node')).toBe(true);
  expect(() => hasSystemPart('cobol' as never)).toThrow(/unknown system part "cobol"/);
});

test('MIXREWARD_HIDE_PARTS makes a present part count as missing', () => {
  const before = process.env.MIXREWARD_HIDE_PARTS;
  process.env.MIXREWARD_HIDE_PARTS = 'node';
  try {
    expect(hasSystemPart('node')).toBe(false);
    expect(missingSystemParts(['node'])).toEqual(['node']);
  } finally {
    if (before === undefined) delete process.env.MIXREWARD_HIDE_PARTS;
    else process.env.MIXREWARD_HIDE_PARTS = before;
  }
});
