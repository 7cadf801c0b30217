// How much would `prettier --write` change the tree under a given set of options? Formats every file
// Prettier would touch into a scratch copy and counts changed files and lines with `git diff --numstat`,
// without writing to the work tree. Used to choose .prettierrc with the least reformatting churn.
//
//   node bench/prettier-churn.mjs                         the candidates below
//   node bench/prettier-churn.mjs '{"printWidth":120}'    extra candidates (JSON, merged over .prettierrc)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as prettier from 'prettier';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
process.chdir(root);

const house = JSON.parse(readFileSync('.prettierrc', 'utf8'));
const candidates =
  process.argv.length > 2
    ? process.argv.slice(2).map((json) => ({ ...house, ...JSON.parse(json) }))
    : [
        house,
        { ...house, objectWrap: 'collapse' },
        { ...house, arrowParens: 'avoid' },
        { ...house, printWidth: 120 },
        { ...house, printWidth: 160 },
      ];

const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const files = [];
for (const file of tracked) {
  const info = await prettier.getFileInfo(file, { ignorePath: '.prettierignore' });
  if (!info.ignored && info.inferredParser) files.push(file);
}

const scratch = mkdtempSync(join(tmpdir(), 'prettier-churn-'));
try {
  const original = join(scratch, 'original');
  for (const file of files) write(join(original, file), readFileSync(file, 'utf8'));
  console.log(`${files.length} files Prettier would format`);
  for (const [index, options] of candidates.entries()) {
    const formatted = join(scratch, `candidate-${index}`);
    let changedFiles = 0;
    let over = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const output = await prettier.format(source, { ...options, filepath: file });
      if (output !== source) changedFiles++;
      over += output.split('\n').filter((line) => line.length > (options.printWidth ?? 80)).length;
      write(join(formatted, file), output);
    }
    const numstat = spawnSync('git', ['diff', '--no-index', '--numstat', original, formatted], { encoding: 'utf8' }).stdout;
    let added = 0;
    let removed = 0;
    for (const line of numstat.split('\n').filter(Boolean)) {
      const [plus, minus] = line.split('\t');
      added += Number(plus);
      removed += Number(minus);
    }
    const differs = Object.entries(options).filter(([key, value]) => house[key] !== value);
    const label = differs.length ? differs.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ') : '.prettierrc';
    console.log(`${label}: ${changedFiles} files changed, +${added} -${removed} lines, ${over} lines still over printWidth`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function write(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
