// Root jest config: one jest run over every workspace project that has a jest.config.js.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
const projects = ['packages', 'apps', 'tooling'].flatMap((folder) =>
  readdirSync(join(root, folder))
    .map((name) => join(root, folder, name, 'jest.config.js'))
    .filter((file) => existsSync(file)),
);

export default { projects };
