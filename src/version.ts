/** The package's name and version, read once from package.json (works from src/ and dist/src/). */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as { name: string; version: string };
    dir = dirname(dir);
  }
  return { name: 'realtime-canary', version: '0.0.0' };
}

const pkg = findPackageJson();
export const TOOL_NAME: string = pkg.name;
export const TOOL_VERSION: string = pkg.version;
