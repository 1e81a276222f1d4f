// The real Bicep CLI, restored from NuGet (Azure.Bicep.CommandLine.<rid>, its tools/bicep) with
// `dotnet restore` of a tiny generated project into the git-ignored .tools/bicep/, and the calls
// infra-check.mjs and the infra tests make to it. Plain Node ESM, no dependencies.
// BICEP_PATH=/path/to/bicep uses an installed CLI instead; BICEP_VERSION restores another version.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const INFRA_DIR = join(ROOT, 'infra');
export const TOOLS_DIR = join(ROOT, '.tools', 'bicep');
export const ARM_OUT_DIR = join(ROOT, '.tools', 'arm');

/** A version NuGet serves here (0.47.16, 0.48.1 and 0.49.2 were listed); BICEP_VERSION overrides it. */
export const BICEP_VERSION = process.env.BICEP_VERSION || '0.49.2';

const RIDS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'osx-x64',
  'darwin-arm64': 'osx-arm64',
  'win32-x64': 'win-x64',
  'win32-arm64': 'win-arm64',
};

/** @typedef {{ file: string, line: number, column: number, level: 'Error' | 'Warning' | 'Info', code: string, message: string }} Diagnostic */
/** @typedef {{ ok: boolean, status: number | null, diagnostics: Diagnostic[], stdout: string, stderr: string }} BicepRun */

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      DOTNET_NOLOGO: '1',
      DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
    },
    ...opts,
  });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '', error: res.error };
}

/** Whether `dotnet` can be started; `reason` says why not. */
export function findDotnet() {
  const res = run('dotnet', ['--version']);
  if (res.error || res.status !== 0) {
    const why = res.error ? res.error.message : `dotnet --version exited ${res.status}`;
    return { available: false, reason: why.trim() };
  }
  return { available: true, version: res.stdout.trim() };
}

function packageId() {
  const rid = RIDS[`${process.platform}-${process.arch}`];
  if (!rid) throw new Error(`no Bicep CLI package for ${process.platform}-${process.arch}`);
  return { rid, id: `Azure.Bicep.CommandLine.${rid}` };
}

/** Where the restored executable lives (whether or not it is there yet). */
export function bicepPath(version = BICEP_VERSION) {
  const { id, rid } = packageId();
  const exe = rid.startsWith('win-') ? 'bicep.exe' : 'bicep';
  return join(TOOLS_DIR, 'packages', id.toLowerCase(), version, 'tools', exe);
}

function restoreProject(version, targetFramework) {
  const { id } = packageId();
  // PackageDownload fetches the package without referencing it (the package has no lib assets);
  // it needs an exact [version]. Microsoft.NET.Sdk ships with dotnet, unlike NoTargets.
  return `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>${targetFramework}</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="${id}" Version="[${version}]" />
  </ItemGroup>
</Project>
`;
}

let cached;

/**
 * Makes the Bicep CLI available: BICEP_PATH if set, else the cached .tools/bicep copy, else a
 * `dotnet restore` into it. Returns `{ available: false, reason }` when dotnet is missing, and
 * throws when dotnet is there but the restore fails.
 * @returns {{ available: true, path: string, version: string } | { available: false, reason: string }}
 */
export function ensureBicep({ log = () => {} } = {}) {
  if (cached) return cached;
  let path = process.env.BICEP_PATH;
  if (!path) {
    path = bicepPath();
    if (!existsSync(path)) {
      const dotnet = findDotnet();
      if (!dotnet.available) return { available: false, reason: dotnet.reason };
      const { id } = packageId();
      const major = dotnet.version.split('.')[0];
      mkdirSync(TOOLS_DIR, { recursive: true });
      const proj = join(TOOLS_DIR, 'bicep-restore.csproj');
      writeFileSync(proj, restoreProject(BICEP_VERSION, `net${major}.0`));
      log(
        `restoring ${id} ${BICEP_VERSION} from NuGet with dotnet ${dotnet.version} into ${relative(ROOT, TOOLS_DIR)}/`,
      );
      const res = run('dotnet', ['restore', proj, '--packages', join(TOOLS_DIR, 'packages')], { cwd: TOOLS_DIR });
      if (res.status !== 0 || !existsSync(path)) {
        throw new Error(
          `dotnet restore of ${id} ${BICEP_VERSION} failed (exit ${res.status}):\n${res.stdout}${res.stderr}`,
        );
      }
    }
  }
  // NuGet extraction does not always keep the executable bit.
  if (process.platform !== 'win32' && (statSync(path).mode & 0o111) === 0) chmodSync(path, 0o755);
  const res = run(path, ['--version']);
  const version = /version\s+(\S+)/i.exec(res.stdout)?.[1];
  if (res.status !== 0 || !version) {
    throw new Error(
      `${path} --version failed (delete ${relative(ROOT, TOOLS_DIR)}/ to restore it again): ${res.stdout}${res.stderr}`,
    );
  }
  cached = { available: true, path, version };
  return cached;
}

// Default diagnostics format: /abs/path/file.bicep(12,3) : Warning no-unused-params: Parameter "x" is declared but never used. [https://aka.ms/...]
const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\)\s*:\s*(Error|Warning|Info)\s+([^:\s]+):\s*(.*)$/;

/** @returns {Diagnostic[]} */
export function parseDiagnostics(text) {
  const out = [];
  for (const line of text.split(/\r?\n/)) {
    const m = DIAGNOSTIC.exec(line.trim());
    if (m) out.push({ file: m[1], line: Number(m[2]), column: Number(m[3]), level: m[4], code: m[5], message: m[6] });
  }
  return out;
}

function bicep(args) {
  const tool = ensureBicep();
  if (!tool.available) throw new Error(`Bicep CLI unavailable: ${tool.reason}`);
  const res = run(tool.path, args, { cwd: ROOT });
  if (res.error) throw res.error;
  const diagnostics = parseDiagnostics(`${res.stderr}\n${res.stdout}`);
  const ok = res.status === 0 && !diagnostics.some((d) => d.level === 'Error');
  return { ok, status: res.status, diagnostics, stdout: res.stdout, stderr: res.stderr };
}

function outFileFor(file, outDir, suffix) {
  const rel = relative(INFRA_DIR, resolve(file));
  const base = rel.startsWith('..') ? relative(ROOT, resolve(file)) : rel;
  return join(outDir, base.replace(/\.bicep(param)?$/, suffix));
}

/**
 * `bicep build FILE` into outDir (mirroring the path under infra/); returns the run and the ARM JSON.
 * @returns {BicepRun & { outFile: string, template: any }}
 */
export function buildArm(file, { outDir = ARM_OUT_DIR } = {}) {
  const outFile = outFileFor(file, outDir, '.json');
  mkdirSync(dirname(outFile), { recursive: true });
  const res = bicep(['build', resolve(file), '--outfile', outFile]);
  const template = res.status === 0 && existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : undefined;
  return { ...res, outFile, template };
}

/**
 * `bicep build --pattern GLOB --outdir outDir` (GLOB relative to the repo root): every matching file
 * in one CLI process, the ARM JSON mirroring the paths under infra/. @returns {BicepRun}
 */
export function buildAll(pattern = 'infra/**/*.bicep', { outDir = ARM_OUT_DIR } = {}) {
  mkdirSync(outDir, { recursive: true });
  return bicep(['build', '--pattern', pattern, '--outdir', outDir]);
}

/**
 * `bicep build-params FILE.bicepparam` into outDir; returns the run and the parameters JSON.
 * @returns {BicepRun & { outFile: string, parameters: any }}
 */
export function buildParams(file, { outDir = ARM_OUT_DIR } = {}) {
  const outFile = outFileFor(file, outDir, '.parameters.json');
  mkdirSync(dirname(outFile), { recursive: true });
  const res = bicep(['build-params', resolve(file), '--outfile', outFile]);
  const parameters = res.status === 0 && existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : undefined;
  return { ...res, outFile, parameters };
}

/**
 * `bicep lint FILE` (.bicep or .bicepparam); `config` replaces the bicepconfig.json the CLI would
 * find upwards from the file. @returns {BicepRun}
 */
export function lint(file, { config } = {}) {
  return bicep(['lint', resolve(file), ...(config ? ['--config', resolve(config)] : [])]);
}

/**
 * `bicep snapshot FILE.bicepparam --mode overwrite`: evaluates the template with those parameters
 * (loops, conditions and modules expanded) into FILE.snapshot.json beside the params file, and
 * returns the run and the parsed snapshot.
 * @returns {BicepRun & { outFile: string, snapshot: any }}
 */
export function snapshot(paramsFile, { subscriptionId, resourceGroup, location, tenantId } = {}) {
  const args = ['snapshot', resolve(paramsFile), '--mode', 'overwrite'];
  if (subscriptionId) args.push('--subscription-id', subscriptionId);
  if (resourceGroup) args.push('--resource-group', resourceGroup);
  if (location) args.push('--location', location);
  if (tenantId) args.push('--tenant-id', tenantId);
  const res = bicep(args);
  const outFile = resolve(paramsFile).replace(/\.bicepparam$/, '.snapshot.json');
  const snap = res.status === 0 && existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : undefined;
  return { ...res, outFile, snapshot: snap };
}

/** `bicep lint --pattern GLOB` (relative to the repo root), every matching file in one process. @returns {BicepRun} */
export function lintAll(pattern = 'infra/**/*.bicep*') {
  return bicep(['lint', '--pattern', pattern]);
}

/** Every file under dir whose name ends with one of the suffixes, sorted. */
export function listFiles(dir, suffixes) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (suffixes.some((s) => e.name.endsWith(s))) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

export function formatDiagnostic(d) {
  return `${relative(ROOT, d.file)}(${d.line},${d.column}) ${d.level} ${d.code}: ${d.message}`;
}
