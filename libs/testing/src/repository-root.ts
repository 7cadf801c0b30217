import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root, whether this code runs from its sources (jest) or from dist/ (benchmarks). */
export function repositoryRoot(): string {
  for (let folder = __dirname; folder !== dirname(folder); folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'scripts', 'kafka.sh'))) return folder;
  }
  throw new Error(`cannot find the repository root above ${__dirname}`);
}
