/**
 * The README and docs/deploy.md say only what is true of the code: every repository path they name exists, every
 * `npm` script they run is in package.json, every setting of the settings table is read by src/config (and every
 * setting src/config reads is in the table and in local.settings.example.json) with the default the table states,
 * every command and flag they show is in that command's `--help` (the built CLI), every option a command parses is
 * in its `--help`, and the demo's description counts the targets `npm start` probes. (The flavour table's rows are
 * held to src/realtime/flavours.ts by test/realtime/flavours.test.ts.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoTargets } from '../../src/cli/demoCommand.js';
import { loadSettings } from '../../src/config/settings.js';
import { PAGERDUTY_EVENTS_URL, parseWebhookFormats } from '../../src/config/alertChannels.js';
import {
  DEFAULT_DEPLOYMENT_BUDGET,
  DEFAULT_KEY_BUDGET,
  DEFAULT_OPENAI_KEY_PER_DAY,
} from '../../src/config/quotaBudgets.js';
import { costInput } from '../../src/cli/costConfig.js';
import { projectCost } from '../../src/cost/projection.js';
import { runCli } from '../cli/cliRun.js';

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const README = read('README.md');
const DEPLOY = read('docs/deploy.md');
const DOCS = { 'README.md': README, 'docs/deploy.md': DEPLOY };

/** The README's settings table: the rows between its header and the first line that is not a row. */
function settingsRows(): { names: string[]; cells: string[] }[] {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Setting | Meaning | Default |'));
  expect(start).toBeGreaterThan(0);
  const rows: { names: string[]; cells: string[] }[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, ''));
    rows.push({ names: [...cells[0]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!), cells });
  }
  return rows;
}

describe('README and docs/deploy.md', () => {
  it('name only repository paths that exist', () => {
    const prefixes = /^(src|docs|infra|schema|prompts|scripts|bench|test|\.ci)\//;
    const rootFiles = new Set(['local.settings.example.json', 'host.json', 'package.json', 'azure.yaml']);
    const named = new Set<string>();
    for (const text of Object.values(DOCS)) {
      for (const m of text.matchAll(/`([^`\s]+)`/g)) if (prefixes.test(m[1]!) || rootFiles.has(m[1]!)) named.add(m[1]!);
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) if (!/^[a-z]+:/.test(m[1]!)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThan(20);
    const missing = [...named].filter((p) => {
      const path = p.replace(/^\.\.\//, '').replace(/[.,:;]$/, '');
      if (/<|…/.test(path)) return false; // a pattern such as src/sinks/<name>.ts
      if (!path.includes('*')) return !existsSync(join(ROOT, path));
      const dir = path.slice(0, path.lastIndexOf('/'));
      const file = new RegExp(
        `^${path
          .slice(dir.length + 1)
          .replace(/[.]/g, '\\.')
          .replace(/\*/g, '.*')}$`,
      );
      return !existsSync(join(ROOT, dir)) || !readdirSync(join(ROOT, dir)).some((f) => file.test(f));
    });
    expect(missing).toEqual([]);
  });

  it("show every top-level folder of the store's layout (src/store/layout.ts) in the blob layout", () => {
    const layout = read('src/store/layout.ts');
    const prefixes = new Set([...layout.matchAll(/[`']([a-z]+)\//g)].map((m) => m[1]!));
    for (const mime of ['application', 'audio', 'text']) prefixes.delete(mime); // content types
    prefixes.add(/RUNS_ROOT = '([a-z]+)'/.exec(layout)![1]!);
    expect(prefixes.size).toBeGreaterThan(10);
    const block = README.split('**Blob layout**')[1]!.split('```')[1]!;
    expect([...prefixes].filter((p) => !new RegExp(`^${p}/`, 'm').test(block) && !block.includes(` ${p}/`))).toEqual(
      [],
    );
  });

  it('run only npm scripts package.json has', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const used = new Set<string>();
    for (const text of Object.values(DOCS)) {
      for (const m of text.matchAll(/npm run ([a-z:-]+)/g)) used.add(m[1]!);
      for (const m of text.matchAll(/npm (start|test)\b/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((s) => !scripts.includes(s))).toEqual([]);
  });

  it('document every setting src/config reads, in the table and in local.settings.example.json, and no other', () => {
    const config = readdirSync(join(ROOT, 'src/config'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => read(`src/config/${f}`))
      .join('\n');
    // a name ending in _ is a prefix in a comment (CANARY_MAX_SESSIONS_PER_…)
    const read_ = new Set([...config.matchAll(/\b(CANARY_[A-Z0-9_]*[A-Z0-9])\b(?!_)/g)].map((m) => m[1]!));
    const names = settingsRows().flatMap((r) => r.names);
    const documented = new Set(names);
    expect(names.length, 'a setting in two rows').toBe(documented.size);
    expect([...read_].filter((s) => !documented.has(s))).toEqual([]);
    expect([...documented].filter((s) => !config.includes(s))).toEqual([]);
    const example = read('local.settings.example.json');
    expect([...documented].filter((s) => !example.includes(`"${s}"`))).toEqual([]);
  });

  it('state the defaults src/config applies when a setting is not set', () => {
    const s = loadSettings({
      CANARY_TARGETS: JSON.stringify([{ name: 't', endpoint: 'wss://x/v1/realtime?model=m', auth: 'none' }]),
      CANARY_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    });
    const defaults: Record<string, string> = {
      CANARY_REGION: s.region,
      CANARY_SCHEDULE: s.schedule,
      CANARY_TURNS: String(s.turns),
      CANARY_TURN_TIMEOUT_MS: String(s.turnTimeoutMs),
      CANARY_SESSION_TIMEOUT_MS: String(s.sessionTimeoutMs),
      CANARY_GENERATION_WINDOW_MS: String(s.generationWindowMs),
      CANARY_ROUND_DEADLINE_MS: String(s.roundDeadlineMs),
      CANARY_CONCURRENCY: String(s.concurrency),
      CANARY_STORAGE_TIMEOUT_MS: String(s.storageTimeoutMs),
      CANARY_ALERT_RULE: `${s.alertRule.k}/${s.alertRule.n}`,
      CANARY_REMINDER_HOURS: String(s.alertRule.reminderHours),
      CANARY_CONFIRM_RETRIES: String(s.confirmRetries),
      CANARY_THRESHOLDS: JSON.stringify(s.thresholds),
      CANARY_CONTAINER: s.storage.kind === 'connection-string' ? s.storage.container : '?',
      CANARY_WEBHOOK_FORMAT: parseWebhookFormats(undefined).join(','),
      CANARY_PAGERDUTY_URL: PAGERDUTY_EVENTS_URL,
      CANARY_LINK_TTL_MINUTES: String(s.linkTtlMinutes),
      CANARY_LINK_SCOPE: s.linkScope,
      CANARY_MODEL_LOOKUP: s.modelLookup ? 'on' : 'off',
      CANARY_MAX_SESSIONS_PER_MINUTE: String(DEFAULT_DEPLOYMENT_BUDGET.perMinute),
      CANARY_MAX_SESSIONS_PER_DAY: String(DEFAULT_DEPLOYMENT_BUDGET.perDay),
      CANARY_KEY_MAX_SESSIONS_PER_MINUTE: String(DEFAULT_KEY_BUDGET.perMinute),
      CANARY_KEY_MAX_SESSIONS_PER_DAY: String(DEFAULT_OPENAI_KEY_PER_DAY),
    };
    const rows = settingsRows();
    for (const [name, value] of Object.entries(defaults)) {
      const row = rows.find((r) => r.names.includes(name));
      expect(row, name).toBeDefined();
      expect(row!.cells.at(-1), name).toContain(`\`${value}\``);
    }
    expect(s.prompts).toHaveLength(3); // "three catalogue prompts"
    expect(rows.find((r) => r.names.includes('CANARY_PROMPTS'))!.cells.at(-1)).toMatch(/^three catalogue prompts/);
    expect(s.dailyBudgetUsd).toBeUndefined();
    expect(s.mutes).toEqual([]);
  });

  it("show only commands and flags the command's --help lists, and every option a command parses is in its --help", async () => {
    const commands = Object.fromEntries(
      [...read('src/cli.ts').matchAll(/^ {2}'?([a-z-]+)'?: async \(\) =>/gm)].map((m) => [m[1]!, '']),
    );
    expect(Object.keys(commands).length).toBeGreaterThan(5);
    for (const name of Object.keys(commands)) {
      const r = await runCli([name, '--help']);
      expect(r.code, name).toBe(0);
      commands[name] = r.stdout;
    }
    const shown: string[] = [];
    let checked = 0;
    for (const [doc, text] of Object.entries(DOCS)) {
      // a command line of a code block, its continuation lines (ending in \) joined
      const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
      for (const line of lines) {
        const m = /realtime-canary ([a-z-]+)(.*)$/.exec(line);
        if (!m || !line.trimStart().match(/^(?:[A-Z_]+=\S+ )*(?:npx )?realtime-canary /)) continue;
        const help = commands[m[1]!];
        if (help === undefined) {
          shown.push(`${doc}: unknown command ${m[1]}`);
          continue;
        }
        const code = m[2]!.replace(/#.*$/, '');
        for (const f of code.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)) {
          checked++;
          if (!help.includes(f[1]!)) shown.push(`${doc}: ${m[1]} ${f[1]}`);
        }
      }
    }
    expect(shown).toEqual([]);
    expect(checked).toBeGreaterThan(20);
    const parsed: string[] = [];
    for (const file of readdirSync(join(ROOT, 'src/cli')).filter((f) => f.endsWith('Command.ts'))) {
      const name = file.replace(/Command\.ts$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const help = commands[name];
      expect(help, file).toBeDefined();
      const block = /parse\(argv, \{([\s\S]*?)\n {2}\}\);/.exec(read(`src/cli/${file}`))?.[1] ?? '';
      for (const m of block.matchAll(/^ {4}'?([a-z][a-z-]*)'?: \{/gm))
        if (m[1] !== 'help' && !help!.includes(`--${m[1]}`)) parsed.push(`${name} --${m[1]}`);
    }
    expect(parsed).toEqual([]);
  }, 120_000);

  it('quote the cost figures `realtime-canary cost` computes', async () => {
    const one = (env: Record<string, string> = {}) =>
      costInput({
        env: {
          CANARY_TARGETS: JSON.stringify([{ name: 't', resource: 'x', deployment: 'gpt-realtime', auth: 'entra' }]),
          ...env,
        },
      }).then((input) => projectCost(input));
    const base = await one();
    const usd = (n: number, digits = 0) =>
      `$${n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}`;
    const [run, day, month] = [
      usd(base.rows[0]!.usdPerRun!, 2),
      usd(base.total.usdPerDay),
      usd(base.total.usdPerMonth),
    ];
    expect(README).toContain(`about **${run} a run, ${day} a day, ${month} a month**`);
    const fleet = projectCost(await costInput({ bicepparamFile: join(ROOT, 'infra/main.bicepparam') }));
    const gb = Math.round(fleet.total.storageBytesPerMonth / 1e10) * 10;
    expect(README).toContain(
      `about **${usd(Math.round(fleet.total.usdPerMonth / 100) * 100)} a month** plus ~${gb} GB of WAVs and reports a month`,
    );
    const oneTurn = (await one({ CANARY_TURNS: '1' })).rows[0]!.usdPerRun! / base.rows[0]!.usdPerRun!;
    expect(README).toContain('`CANARY_TURNS=1` is about a fifth of the cost');
    expect(oneTurn).toBeGreaterThan(0.15);
    expect(oneTurn).toBeLessThan(0.25);
  });

  it("count the demo's targets as the code builds them", () => {
    const targets = demoTargets(
      (flavour, scenario, deployment) => `ws://127.0.0.1:1/${flavour}/${scenario}/${deployment}`,
    );
    const words = [
      'zero',
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      'seven',
      'eight',
      'nine',
      'ten',
      'eleven',
      'twelve',
      'thirteen',
      'fourteen',
      'fifteen',
      'sixteen',
    ];
    const said = /over (\w+) simulator targets/.exec(README)?.[1];
    expect(said).toBe(words[targets.length]);
    const webrtc = targets.filter((t) => t.transport === 'webrtc');
    expect(webrtc.map((t) => t.turns)).toEqual([3]); // "a healthy Azure target over WebRTC (3 turns)"
    expect(targets.filter((t) => t.endpoint?.includes('gpt-realtime-2.1'))).toHaveLength(2);
  });
});
