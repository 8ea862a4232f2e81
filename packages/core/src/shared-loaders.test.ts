import { RewardError } from './errors.js';
import { editDistance, loadOptionalModule, resolveMediaPath } from './shared-loaders.js';

describe('shared loaders', () => {
  test('editDistance counts insertions, deletions and substitutions (hand-worked)', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('resolveMediaPath resolves against mediaDir and refuses paths outside the media root', () => {
    expect(resolveMediaPath('img/a.png', { mediaDir: '/data/run' })).toBe('/data/run/img/a.png');
    expect(resolveMediaPath('/abs/b.png', { mediaDir: '/data/run' })).toBe('/abs/b.png');
    expect(resolveMediaPath('img/a.png', { mediaDir: '/data/run', root: '/data' })).toBe('/data/run/img/a.png');
    for (const path of ['../../etc/passwd', '/etc/passwd', '/data-other/x.png']) {
      expect(() => resolveMediaPath(path, { mediaDir: '/data/run', root: '/data' })).toThrow(RewardError);
    }
    for (const path of ['', 'a\0b']) expect(() => resolveMediaPath(path, { mediaDir: '/tmp' })).toThrow(/not a usable file path/);
  });

  test('loadOptionalModule unwraps a default export, caches success and names the install command on failure', async () => {
    let calls = 0;
    const loaded = await loadOptionalModule<{ name: string }>('test-module-ok', { feature: 'tests', install: 'npm i test-module-ok', importer: async () => ({ default: { name: 'ok', calls: ++calls } }) });
    expect(loaded.name).toBe('ok');
    await loadOptionalModule('test-module-ok', { feature: 'tests', install: 'x', importer: async () => ({ default: { calls: ++calls } }) });
    expect(calls).toBe(1);
    const failing = () => loadOptionalModule('test-module-missing', { feature: 'image rewards', install: 'npm i test-module-missing', importer: () => Promise.reject(new Error('Cannot find package')) });
    await expect(failing()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: 'test-module-missing could not be loaded (Cannot find package); image rewards need it: npm i test-module-missing' });
    // A failure is not cached: installing the module and retrying works.
    await expect(loadOptionalModule('test-module-missing', { feature: 'x', install: 'y', importer: async () => ({ value: 1 }) })).resolves.toEqual({ value: 1 });
  });
});
