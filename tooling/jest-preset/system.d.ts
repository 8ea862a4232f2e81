/** A system part a heavy test can need. */
export type SystemPart = 'bwrap' | 'ffmpeg' | 'python3' | 'g++' | 'node';

/** True when the system part is installed and works here (MIXREWARD_HIDE_PARTS hides parts). */
export function hasSystemPart(part: SystemPart): boolean;

/** The parts of the list that are missing here. */
export function missingSystemParts(parts: SystemPart | readonly SystemPart[]): SystemPart[];

/**
 * `describe` that runs only where every listed part works; elsewhere its tests are reported as
 * skipped with the reason (`[skipped: needs bwrap]`), and under CI=true they fail.
 */
export function describeWith(parts: SystemPart | readonly SystemPart[], name: string, fn: () => void): void;

/** `test` gated like {@link describeWith}. */
export function testWith(parts: SystemPart | readonly SystemPart[], name: string, fn: () => unknown, timeout?: number): void;
