import { RewardError } from '@mixreward/core';
import { z } from 'zod';

/**
 * How one language is compiled and run: the one table of commands every backend reads. A command is
 * an argv array run in the program's work dir; its first word is a tool looked up on the host's PATH
 * (or a path starting with `./` for a file the compile step made).
 */
export interface LanguageSpec {
  /** The language's name (`python`, `javascript`, `cpp`, …). */
  name: string;
  /** Fence tags that mean this language in a completion (```` ```py ````), lower case. */
  fences: string[];
  /** File name the submission is written to, in the work dir (`main.py`). */
  source: string;
  /** Compile command, run once per submission; absent for interpreted languages. */
  compile?: string[];
  /** Run command, once per test. */
  run: string[];
  /** Arguments that make an interpreter print its real executable path (resolves shims such as pyenv's). */
  probe?: string[];
  /** Arguments that must make the compile (or run) tool exit 0 when it works. Default `['--version']`. */
  check?: string[];
  /** The language's name in SandboxFusion's `run_code` API (`python`, `nodejs`, `cpp`). Default: `name`. */
  sandboxFusion?: string;
  /** How to install the toolchain, for error messages (`apt-get install python3`). */
  install?: string;
}

/** Zod schema of one user-supplied language entry (`with.languages.<name>` in a config). */
export const languageEntrySchema = z
  .object({
    fences: z.array(z.string()).optional().describe('fence tags that select this language; default: the name'),
    source: z.string().min(1).describe('file name the code is written to, e.g. main.rs'),
    compile: z.array(z.string()).min(1).optional().describe('compile argv, run once per submission in the work dir'),
    run: z.array(z.string()).min(1).describe('run argv, once per test, in the work dir'),
    sandbox_fusion: z.string().optional().describe("language name in SandboxFusion's run_code API"),
    install: z.string().optional().describe('how to install the toolchain (shown in errors)'),
  })
  .strict();

/** A user-supplied language entry, as written in a config. */
export type LanguageEntry = z.infer<typeof languageEntrySchema>;

/** The built-in table. Python, JavaScript and C++ are tested; the others run where their toolchain is installed. */
export const builtinLanguages: Readonly<Record<string, LanguageSpec>> = {
  python: {
    name: 'python',
    fences: ['python', 'py', 'python3'],
    source: 'main.py',
    run: ['python3', 'main.py'],
    probe: ['-c', 'import sys; sys.stdout.write(sys.executable)'],
    sandboxFusion: 'python',
    install: 'apt-get install python3',
  },
  javascript: {
    name: 'javascript',
    fences: ['javascript', 'js', 'node', 'nodejs'],
    source: 'main.js',
    run: ['node', 'main.js'],
    probe: ['-e', 'process.stdout.write(process.execPath)'],
    sandboxFusion: 'nodejs',
    install: 'install Node.js (https://nodejs.org) so that `node` is on PATH',
  },
  cpp: {
    name: 'cpp',
    fences: ['cpp', 'c++', 'cc', 'cxx'],
    source: 'main.cpp',
    compile: ['g++', '-O2', '-std=c++17', '-o', 'main', 'main.cpp'],
    run: ['./main'],
    sandboxFusion: 'cpp',
    install: 'apt-get install g++',
  },
  c: {
    name: 'c',
    fences: ['c'],
    source: 'main.c',
    compile: ['gcc', '-O2', '-std=c11', '-o', 'main', 'main.c', '-lm'],
    run: ['./main'],
    sandboxFusion: 'cpp',
    install: 'apt-get install gcc',
  },
  bash: {
    name: 'bash',
    fences: ['bash', 'sh', 'shell'],
    source: 'main.sh',
    run: ['bash', 'main.sh'],
    sandboxFusion: 'bash',
    install: 'apt-get install bash',
  },
  go: {
    name: 'go',
    fences: ['go', 'golang'],
    source: 'main.go',
    compile: ['go', 'build', '-o', 'main', 'main.go'],
    run: ['./main'],
    check: ['version'],
    sandboxFusion: 'go',
    install: 'install Go (https://go.dev/dl) so that `go` is on PATH',
  },
  rust: {
    name: 'rust',
    fences: ['rust', 'rs'],
    source: 'main.rs',
    compile: ['rustc', '-O', '-o', 'main', 'main.rs'],
    run: ['./main'],
    sandboxFusion: 'rust',
    install: 'install Rust (https://rustup.rs) so that `rustc` is on PATH',
  },
  ruby: {
    name: 'ruby',
    fences: ['ruby', 'rb'],
    source: 'main.rb',
    run: ['ruby', 'main.rb'],
    sandboxFusion: 'ruby',
    install: 'apt-get install ruby',
  },
};

/** A table of languages: the built-ins merged with user entries (a user entry replaces a built-in of the same name). */
export type LanguageTable = Readonly<Record<string, LanguageSpec>>;

/** Merge user entries (config `with.languages`) over the built-in table. */
export function buildLanguageTable(entries: Record<string, LanguageEntry> = {}): LanguageTable {
  const table: Record<string, LanguageSpec> = { ...builtinLanguages };
  for (const [name, entry] of Object.entries(entries)) {
    const spec: LanguageSpec = {
      name,
      fences: (entry.fences ?? [name]).map((fence) => fence.toLowerCase()),
      source: entry.source,
      run: entry.run,
    };
    if (entry.compile) spec.compile = entry.compile;
    if (entry.sandbox_fusion) spec.sandboxFusion = entry.sandbox_fusion;
    if (entry.install) spec.install = entry.install;
    table[name] = spec;
  }
  return table;
}

/** The language named `name` or one of whose fence tags is `name` (case-insensitive), or undefined. */
export function findLanguage(table: LanguageTable, name: string): LanguageSpec | undefined {
  const wanted = name.trim().toLowerCase();
  if (table[wanted]) return table[wanted];
  return Object.values(table).find((spec) => spec.fences.includes(wanted));
}

/** Like {@link findLanguage}, but an unknown name is a `RewardError('INVALID_REFERENCE')` listing the known ones. */
export function requireLanguage(table: LanguageTable, name: string, path = 'reference.language'): LanguageSpec {
  const spec = findLanguage(table, name);
  if (spec) return spec;
  throw new RewardError(
    'INVALID_REFERENCE',
    `unknown language "${name}" (known: ${Object.keys(table).join(', ')}); add it under with.languages`,
    { path },
  );
}
