#!/usr/bin/env node
// npm run infra:check — compiles every .bicep file under infra/ to ARM JSON (.tools/arm/), builds
// every .bicepparam file, and lints them all with the real Bicep CLI (restored from NuGet by
// scripts/bicep.mjs). Exit 1 on any error or warning; exit 0 with a "skipped" line when dotnet
// is not installed.
import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  ARM_OUT_DIR,
  INFRA_DIR,
  ROOT,
  buildAll,
  buildParams,
  ensureBicep,
  formatDiagnostic,
  lintAll,
  listFiles,
} from './bicep.mjs';

const rel = (p) => relative(ROOT, p);

let tool;
try {
  tool = ensureBicep({ log: (m) => console.log(`infra:check: ${m}`) });
} catch (err) {
  console.error(`infra:check: FAILED to get the Bicep CLI: ${err.message}`);
  process.exit(1);
}
if (!tool.available) {
  console.log(
    `infra:check skipped: dotnet not found (${tool.reason}); the Bicep CLI comes from NuGet through dotnet restore.`,
  );
  process.exit(0);
}
console.log(`infra:check: Bicep CLI ${tool.version} (${rel(tool.path)})`);

const bicepFiles = listFiles(INFRA_DIR, ['.bicep']);
const paramFiles = listFiles(INFRA_DIR, ['.bicepparam']);
if (bicepFiles.length === 0) {
  console.error('infra:check: FAILED: no .bicep files under infra/');
  process.exit(1);
}

const problems = new Set();
let steps = 0;

/**
 * Records one CLI run over `files` (one process may cover several): each file is reported ok or
 * FAIL from its own diagnostics; `produced(file)` tells whether its output was written.
 */
function record(what, files, res, produced = () => true) {
  const bad = res.diagnostics.filter((d) => d.level !== 'Info');
  // A non-zero exit without a parsable diagnostic still fails, with the CLI's own output.
  if (res.status !== 0 && bad.length === 0) {
    problems.add(`bicep ${what} exited ${res.status}: ${(res.stderr || res.stdout).trim()}`);
  }
  for (const d of bad) problems.add(formatDiagnostic(d));
  for (const file of files) {
    steps++;
    const mine = bad.filter((d) => resolve(d.file) === resolve(file));
    const ok = mine.length === 0 && produced(file);
    if (!produced(file)) problems.add(`${rel(file)}: bicep ${what} wrote no output`);
    console.log(
      `infra:check: ${(ok ? 'ok' : 'FAIL').padEnd(4)} ${what.padEnd(12)} ${rel(file)}${mine.length ? ` — ${mine.length} diagnostic(s)` : ''}`,
    );
  }
}

// Each CLI start costs a few seconds, so the builds and the lint each run once over every file.
const armFile = (file) => join(ARM_OUT_DIR, relative(INFRA_DIR, file).replace(/\.bicep$/, '.json'));
const started = Date.now();
rmSync(ARM_OUT_DIR, { recursive: true, force: true }); // no stale output passes for new
const built = buildAll('infra/**/*.bicep');
record('build', bicepFiles, built, (f) => existsSync(armFile(f)));
for (const file of paramFiles) {
  const res = buildParams(file);
  record('build-params', [file], res, () => res.parameters !== undefined);
}
record('lint', [...bicepFiles, ...paramFiles], lintAll('infra/**/*.bicep*'));

if (problems.size > 0) {
  console.error(`\ninfra:check: FAILED — ${problems.size} error(s)/warning(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(
  `infra:check: passed — ${bicepFiles.length} .bicep and ${paramFiles.length} .bicepparam file(s), ${steps} ` +
    `check(s), 0 errors, 0 warnings in ${((Date.now() - started) / 1000).toFixed(1)} s; ARM JSON in ${rel(ARM_OUT_DIR)}/`,
);
