/**
 * `realtime-canary validate [--settings local.settings.json] [--connect]`: loads the settings and targets exactly as
 * the Function does (the environment, a local.settings.json's Values, CANARY_TARGETS or the CANARY_CONFIG_BLOB from
 * the configured store), resolves the secrets (by name; Key Vault references are listed as not resolvable here),
 * and prints the plan: targets, flavour, transport, schedule (next runs), prompts, turns, estimated tokens per run,
 * and the plan check — session starts against each deployment's and key's budget, the round's fit — refusing a plan
 * that cannot fit (./planCheckText.ts). Nothing is probed unless --connect (then one short connection per target). Secrets are never printed.
 */
import { loadSettings, type CanarySettings } from '../config/settings.js';
import { parseTargets, type TargetConfig } from '../config/targets.js';
import { readFileSync } from 'node:fs';
import { ConfigError, InputError } from '../errors.js';
import { parseConfigJson } from '../json.js';
import { envSecrets, secretSettings, type SecretSetting } from '../config/secrets.js';
import { knowSecrets } from './printed.js';
import { loadCatalog } from '../prompts/catalog.js';
import { redactUrl } from '../realtime/redact.js';
import { probeTarget } from '../runner/probeTarget.js';
import { createStore, entraCredential } from '../runner/roundDeps.js';
import { connectCheck } from './connectCheck.js';
import { intFlag, noPositionals, parse } from './args.js';
import { muteScope } from '../config/mute.js';
import { nextRuns } from '../config/scheduleTimes.js';
import { hostOf, isKeyVaultReference, keyVaultReferences, operatorEnv, type Env } from './settingsSource.js';
import { buildPlan, type Plan } from './validatePlan.js';
import { projectSettings } from '../cost/settingsProjection.js';
import { OUTPUT_AUDIO_TOKENS_PER_S } from '../cost/rates.js';
import { formatProjection } from '../cost/projectionText.js';
import { formatUsd } from '../cost/usd.js';
import { promptLengths } from '../cost/projection.js';
import { checkPlan } from '../runner/planCheck.js';
import { formatPlanCheck } from './planCheckText.js';

const HELP = `realtime-canary validate [--settings FILE] [--targets FILE] [--connect] [--timeout-ms N]

Loads settings and targets the way the Function does and prints the plan; probes nothing unless --connect.
  --settings FILE   read app settings from a local.settings.json (its "Values" where the environment sets none, as func start does)
  --targets FILE    check a targets file (a JSON array, or { "targets": [...] } as in CANARY_CONFIG_BLOB) before
                    uploading it; secrets it names that are not set here are noted, not errors (they live in Azure)
  --connect         open one short connection per target (upgrade + session.created) and report OK or refused
  --timeout-ms N    deadline per connection and for reading CANARY_CONFIG_BLOB (default 15000)
Prints the planned session starts against each deployment's and key's budget and whether the round fits its due
targets; a plan a budget cannot hold, or a round whose rotation needs more than 2 rounds, is a problem.
Exit codes: 0 valid (and, with --connect, every target it checked connected; WebRTC targets are named as not
checked), 2 a problem, named on its line.`;

/** Placeholder for a Key Vault reference in a setting loadSettings validates by shape (resolved in Azure only). */
const KV_PLACEHOLDER_URL = 'https://key-vault-reference.invalid/';
/** Stands in for a routing key held in Key Vault, which only the Function app resolves. */
const KV_PLACEHOLDER_KEY = 'KeyVaultReferenceResolvedInAzure0';

export async function validateCommand(argv: string[]): Promise<number> {
  const { values: f, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    settings: { type: 'string' },
    targets: { type: 'string' },
    connect: { type: 'boolean' },
    'timeout-ms': { type: 'string' },
  });
  noPositionals(positionals);
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  const timeoutMs = intFlag('timeout-ms', f['timeout-ms'], 15_000, 100);
  const env = operatorEnv(f.settings);
  const secrets = secretSettings(env);
  const file = f.targets ? targetsFile(f.targets, secrets) : undefined;
  const settings = loadSettings({
    ...env,
    ...(isKeyVaultReference(env.CANARY_WEBHOOK_URL) ? { CANARY_WEBHOOK_URL: KV_PLACEHOLDER_URL } : {}),
    ...(isKeyVaultReference(env.CANARY_PAGERDUTY_ROUTING_KEY)
      ? { CANARY_PAGERDUTY_ROUTING_KEY: KV_PLACEHOLDER_KEY }
      : {}),
    // A targets file is checked on its own: the Function's storage is not needed for that.
    ...(file
      ? {
          CANARY_TARGETS: undefined,
          CANARY_CONFIG_BLOB: 'targets-file.json', // stands in for the file, which is read here
          ...(hasStorage(env) ? {} : { CANARY_OUTPUT_DIR: NO_STORAGE }),
        }
      : {}),
  });
  const { targets, source } = file ?? (await loadTargets(settings, timeoutMs, secrets));
  knowSecrets(
    envSecrets(
      env,
      targets.flatMap((t) => (t.secretSetting ? [t.secretSetting] : [])),
    ),
  );
  const plan = buildPlan(settings, targets, env, loadCatalog(), source, { secretsElsewhere: file !== undefined });
  // settings that disable a channel or telemetry in Azure (the round logs them as configuration errors)
  plan.problems.push(...settings.problems.map((p) => p.message));
  printPlan(settings, env, plan, source, f.settings);
  const check = formatPlanCheck(
    checkPlan({ targets, settings, lengths: promptLengths(loadCatalog()), at: new Date() }),
  );
  console.log(
    `\n${check.lines.join('\n')}\n(this region alone: regions that probe the same deployments share their budgets — ` +
      '`realtime-canary cost --regions a,b` checks them together)',
  );
  plan.problems.push(...check.refusals);
  let failed = plan.problems.length > 0;
  const connected = f.connect ? await connectAll(settings, env, plan, timeoutMs) : undefined;
  if (connected && !connected.ok) failed = true;
  if (failed) {
    console.error(`\n${plan.problems.length} problem(s):`);
    for (const p of plan.problems) console.error(`  ${p}`);
    return 2;
  }
  console.log(`\nvalid: ${targets.length} target(s)${connectedWords(connected)}`);
  return 0;
}

/** What --connect did, for the last line: never "all connected" when some targets were not checked. */
function connectedWords(c: Connected | undefined): string {
  if (!c) return ' (nothing probed; --connect opens one connection per target)';
  if (!c.unchecked.length) return ', all connected';
  return (
    `, ${c.connected} connected over WebSocket; not checked: ${c.unchecked.join(', ')} ` +
    '(WebRTC: --connect opens WebSocket sessions only, so their media path is untested)'
  );
}

const NO_STORAGE = '(not configured: not needed to check a targets file)';

function hasStorage(env: Env): boolean {
  return Boolean(
    env.CANARY_STORAGE_CONNECTION_STRING?.trim() ||
    env.CANARY_STORAGE_ACCOUNT_URL?.trim() ||
    env.CANARY_OUTPUT_DIR?.trim(),
  );
}

/** A targets file as `--targets` gives it: the config blob's shape (an array, or an object with `targets`). */
function targetsFile(path: string, secrets: readonly SecretSetting[]): { targets: TargetConfig[]; source: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(
      path,
      (err as { code?: unknown }).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(err as Error).message})`,
    );
  }
  return { targets: targetsOfConfig(text, path, secrets), source: path };
}

/** The targets of a config blob's text, validated; errors name the source and the field. */
function targetsOfConfig(text: string, source: string, secrets: readonly SecretSetting[]): TargetConfig[] {
  const parsed = parseConfigJson(text, source);
  const list = Array.isArray(parsed) ? parsed : (parsed as { targets?: unknown } | null)?.targets;
  return parseTargets(JSON.stringify(list ?? null), source, secrets);
}

/** Inline targets, or the config blob from the configured store (as the handler reads it). */
async function loadTargets(
  settings: CanarySettings,
  timeoutMs: number,
  secrets: readonly SecretSetting[],
): Promise<{ targets: TargetConfig[]; source: string }> {
  if (settings.targets) return { targets: settings.targets, source: 'CANARY_TARGETS' };
  const path = settings.configBlob!;
  const store = createStore(settings, { info: () => undefined, warn: () => undefined, error: () => undefined });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ConfigError(
            'CANARY_CONFIG_BLOB',
            `could not read "${path}" from ${store.description} within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
  });
  let body: Buffer | undefined;
  try {
    body = await Promise.race([store.get(path), deadline]);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      'CANARY_CONFIG_BLOB',
      `could not read "${path}" from ${store.description}: ${(err as Error).message.split('\n')[0]}`,
    );
  } finally {
    clearTimeout(timer);
  }
  if (!body) throw new ConfigError('CANARY_CONFIG_BLOB', `no blob at "${path}" in ${store.description}`);
  const source = `${path} targets`;
  return { targets: targetsOfConfig(body.toString('utf8'), source, secrets), source };
}

function printPlan(s: CanarySettings, env: Env, plan: Plan, source: string, settingsFile: string | undefined): void {
  const storage =
    s.storage.kind === 'local'
      ? s.storage.dir === NO_STORAGE
        ? NO_STORAGE
        : `local folder ${s.storage.dir}`
      : s.storage.kind === 'connection-string'
        ? `Blob Storage by connection string, container ${s.storage.container}`
        : `${hostOf(s.storage.accountUrl)}, container ${s.storage.container}`;
  const webhook = isKeyVaultReference(env.CANARY_WEBHOOK_URL)
    ? 'a Key Vault reference (resolved in Azure)'
    : s.webhook
      ? `${s.webhook.format} webhook at ${hostOf(s.webhook.url)}`
      : 'none: cards are written to alerts/ in the store';
  const paging = s.pagerDuty ? `, PagerDuty at ${hostOf(s.pagerDuty.url)}` : '';
  const mutes = s.mutes.length
    ? `; muted: ${s.mutes.map((m) => `${muteScope(m)} until ${m.until.replace('.000Z', 'Z')}`).join(', ')}`
    : '';
  console.log(
    `settings: ${settingsFile ? `the environment, then ${settingsFile}` : 'the environment'}; region ${s.region}`,
  );
  console.log(
    `schedule: ${s.schedule} (UTC); next runs ${nextRuns(s.schedule, new Date(), 3)
      .map((d) => d.toISOString().replace('.000Z', 'Z'))
      .join(', ')}`,
  );
  console.log(`storage:  ${storage}`);
  console.log(
    `alerts:   ${webhook}${paging}; open after ${s.alertRule.k} failing of the last ${s.alertRule.n} runs, remind every ${s.alertRule.reminderHours} h${mutes}`,
  );
  console.log(
    `targets (${source}): ${plan.targets.length}, ${s.concurrency} at a time, round deadline ${s.roundDeadlineMs / 1000} s`,
  );
  // what a run uses and costs: the projection `realtime-canary cost` prints (prices, text tokens, the schedule)
  const projection = projectSettings(
    s,
    plan.targets.map((t) => t.config),
    { catalog: loadCatalog() },
  );
  let tokens = 0;
  plan.targets.forEach((t, i) => {
    const c = t.config;
    const e = t.endpoint;
    const role = [c.group ? `group ${c.group}` : undefined, c.baseline ? 'baseline' : undefined]
      .filter(Boolean)
      .join(', ');
    console.log(`\n  ${c.name}${role ? ` (${role})` : ''}`);
    console.log(
      `    endpoint:  ${e ? `${redactUrl(e.url)} — ${e.flavour}, ${e.dialect} dialect` : 'not usable (see problems)'}`,
    );
    console.log(`    transport: ${t.transport}`);
    console.log(`    auth:      ${t.auth}`);
    console.log(
      `    prompts:   ${t.prompts.map((p) => p.id).join(', ') || '-'}; ${t.turns} turn(s), ${s.turnTimeoutMs / 1000} s per turn`,
    );
    const row = projection.rows[i];
    if (row && t.prompts.length) {
      const { audioOut, audioIn } = row.tokensPerRun;
      tokens += audioOut + audioIn;
      const usd = row.usdPerRun !== null ? `, ≈ ${formatUsd(row.usdPerRun, { digits: 4, grouping: false })}` : '';
      console.log(
        `    per run:   ≈ ${(audioOut / OUTPUT_AUDIO_TOKENS_PER_S).toFixed(0)} s of answer audio ` +
          `≈ ${Math.round(audioOut)} output audio tokens ` +
          `(at ${OUTPUT_AUDIO_TOKENS_PER_S}/s), ${Math.round(audioIn)} input audio tokens (the conversation is re-sent each turn)${usd}`,
      );
    }
  });
  console.log(`\nper round: ≈ ${Math.round(tokens)} audio tokens over ${plan.targets.length} target(s)`);
  console.log(
    `\ncost (as realtime-canary cost computes it; catalogue answers, no history):\n${formatProjection(projection)}`,
  );
  const refs = keyVaultReferences(env).filter((r) => !plan.targets.some((t) => t.config.secretSetting === r.setting));
  for (const r of refs)
    plan.notes.push(`${r.setting} is a Key Vault reference (${r.secret}); it cannot be resolved locally`);
  if (plan.notes.length) {
    console.log('\nnotes:');
    for (const n of plan.notes) console.log(`  ${n}`);
  }
}

/** What --connect found: whether every checked target connected, how many did, and which were not checked. */
interface Connected {
  ok: boolean;
  connected: number;
  unchecked: string[];
}

/** One short connection per target whose secret could be resolved here; prints OK/refused/not checked. */
async function connectAll(s: CanarySettings, env: Env, plan: Plan, timeoutMs: number): Promise<Connected> {
  console.log('\nconnecting (upgrade + session.created):');
  const credential = entraCredential(s);
  const results = await Promise.all(
    plan.targets.map(async (t, i) => {
      if (!t.endpoint) return { name: t.config.name, line: 'skipped: endpoint not usable', ok: false };
      if (t.transport !== 'websocket')
        return {
          name: t.config.name,
          line: `not checked: --connect opens WebSocket sessions, this target uses ${t.transport}`,
          ok: true,
          unchecked: true,
        };
      if (!t.secretResolved && t.config.auth !== 'entra')
        return { name: t.config.name, line: 'skipped: its secret cannot be resolved here', ok: false };
      let target;
      try {
        target = probeTarget(t.config, i, env, s.region, credential);
      } catch (err) {
        return { name: t.config.name, line: `skipped: ${(err as Error).message}`, ok: false };
      }
      const r = await connectCheck(target, timeoutMs, t.config.insecureTls);
      return { name: t.config.name, line: r.ok ? `OK (session.created after ${r.ms} ms)` : r.problem, ok: r.ok };
    }),
  );
  for (const r of results) {
    console.log(`  ${r.name.padEnd(24)} ${r.line}`);
    if (!r.ok) plan.problems.push(`${r.name}: ${r.line}`);
  }
  const unchecked = results.filter((r) => 'unchecked' in r).map((r) => r.name);
  return {
    ok: results.every((r) => r.ok),
    connected: results.filter((r) => r.ok).length - unchecked.length,
    unchecked,
  };
}
