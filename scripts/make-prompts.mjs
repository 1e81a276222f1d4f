// Regenerates the catalogue's prompt WAVs with espeak-ng and sox (Debian packages). Run once; the WAVs are committed.
// Usage: node scripts/make-prompts.mjs
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const dir = new URL('../prompts/', import.meta.url).pathname;
const catalog = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8'));
for (const p of catalog) {
  const raw = join(dir, `${p.id}.raw.wav`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, p.text]);
  execFileSync('sox', [raw, '-r', '24000', '-c', '1', '-b', '16', '-e', 'signed-integer', join(dir, p.file)]);
  execFileSync('rm', [raw]);
  console.log(
    `${p.file}: ${execFileSync('soxi', ['-d', join(dir, p.file)])
      .toString()
      .trim()}`,
  );
}
