// Heavy tests: tests that need a system part (bwrap, ffmpeg, python3, g++) run where it is installed.
// Locally without it they are reported as skipped with the reason ("skipped: needs bwrap"); under
// CI=true a missing part fails the run instead (and tooling/scripts/run-tests.mjs fails a CI run
// with any skipped test). MIXREWARD_HIDE_PARTS=bwrap,ffmpeg pretends parts are missing, to see
// what a contributor without them sees.
import { spawnSync } from 'node:child_process';

/** How each part is probed: a command that must exit 0. */
const probes = {
  // A real sandbox start, not just the binary: user namespaces may be disabled.
  bwrap: ['bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', 'true']],
  ffmpeg: ['ffmpeg', ['-hide_banner', '-version']],
  python3: ['python3', ['--version']],
  'g++': ['g++', ['--version']],
  node: [process.execPath, ['--version']],
};

const found = new Map();

function hidden() {
  return new Set((process.env.MIXREWARD_HIDE_PARTS ?? '').split(',').map((part) => part.trim()).filter(Boolean));
}

/**
 * True when the system part is installed and works here.
 * @param {keyof typeof probes} part
 */
export function hasSystemPart(part) {
  const probe = probes[part];
  if (!probe) throw new Error(`unknown system part "${part}" (known: ${Object.keys(probes).join(', ')})`);
  if (hidden().has(part)) return false;
  let ok = found.get(part);
  if (ok === undefined) {
    const run = spawnSync(probe[0], probe[1], { stdio: 'ignore', timeout: 15_000 });
    ok = run.status === 0;
    found.set(part, ok);
  }
  return ok;
}

/** The parts of the list that are missing here. */
export function missingSystemParts(parts) {
  return (Array.isArray(parts) ? parts : [parts]).filter((part) => !hasSystemPart(part));
}

const onCi = () => process.env.CI === 'true' || process.env.CI === '1';

function gated(kind, parts, name, fn, timeout) {
  const missing = missingSystemParts(parts);
  const register = kind === 'describe' ? globalThis.describe : globalThis.test;
  if (missing.length === 0) return kind === 'describe' ? register(name, fn) : register(name, fn, timeout);
  const reason = `skipped: needs ${missing.join(', ')}`;
  if (onCi()) {
    // CI installs every part: a missing one is a failure, never a silent skip.
    return globalThis.test(`${name} [${reason}]`, () => {
      throw new Error(`CI=true and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: install ${missing.join(', ')} (see README, "Set-up")`);
    });
  }
  return kind === 'describe' ? register.skip(`${name} [${reason}]`, fn) : register.skip(`${name} [${reason}]`, fn, timeout);
}

/**
 * `describe` that runs only where every listed system part works; elsewhere its tests are skipped
 * with the reason in their names (`[skipped: needs bwrap]`), and under CI=true they fail.
 */
export function describeWith(parts, name, fn) {
  return gated('describe', parts, name, fn);
}

/** `test` gated like {@link describeWith}. */
export function testWith(parts, name, fn, timeout) {
  return gated('test', parts, name, fn, timeout);
}
