/** `realtime-canary probe`: one session against one endpoint; writes the run folder (with report.html) and prints a summary. */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadCatalog, resolvePrompts } from '../prompts/catalog.js';
import { MAX_GENERATION_WINDOW_MS, PROBE_DEFAULTS, type Pace, type ProbeOptions } from '../probe/options.js';
import { targetSecrets } from '../probe/session.js';
import { DEFAULT_ENTRA_SCOPE, FOUNDRY_ENTRA_SCOPE } from '../realtime/auth.js';
import { scrub } from '../realtime/redact.js';
import { OUTPUT_AUDIO_FORMATS, type OutputAudioFormat } from '../realtime/events.js';
import { reportProblem } from '../report/configuration.js';
import { renderRunHtml } from '../report/runHtml.js';
import { summarizeReport } from '../analysis/summary.js';
import { ConfigError } from '../errors.js';
import { parseModelRetirements } from '../config/modelRetirements.js';
import { runOne } from '../runner/runOne.js';
import { REPORT_HTML, REPORT_JSON } from '../store/layout.js';
import { settingFlag } from './settingFlag.js';
import { intFlag, noPositionals, oneOf, parse } from './args.js';
import { targetFromFlags } from './targetFromFlags.js';
import { knowSecrets } from './printed.js';
import { targetTransport } from '../probe/webrtc/factory.js';
import type { TransportKind } from '../trace/trace.js';
import { FLAVOURS, flavourInfo, isAzure } from '../realtime/flavours.js';

// The flavour lines of the help, from the flavour table: the paths, the choices (and the retired), the api-version default.
const ROWS = FLAVOURS.map((name) => ({ name, ...flavourInfo(name) }));
const USABLE = ROWS.filter((r) => r.status !== 'retired');
const RETIRED = ROWS.filter((r) => r.status === 'retired').map((r) => r.label);
const FLAVOUR_PATHS = USABLE.map((r) => `${r.path} ${r.label}`).join(', ');
const RETIRED_NOTE = RETIRED.length ? ` (${RETIRED.join(' and ')} ${RETIRED.length > 1 ? 'are' : 'is'} retired)` : '';
const FLAVOUR_CHOICES = `${USABLE.map((r) => r.name).join(' | ')}${RETIRED_NOTE}`;
const API_VERSIONS = ROWS.flatMap((r) =>
  r.defaultApiVersion ? [`${r.label} api-version (default ${r.defaultApiVersion})`] : [],
).join('; ');

const HELP = `realtime-canary probe --endpoint <url> [options]

Target:
  --endpoint URL          ws:// or wss:// URL; flavour inferred from the path
                          (${FLAVOUR_PATHS})
  --resource NAME         Azure OpenAI resource (instead of --endpoint), with --deployment
  --deployment NAME       Azure deployment or OpenAI model
  --flavour F             ${FLAVOUR_CHOICES}
  --dialect ga|beta       override the dialect (beta: Azure preview event names)
  --api-version V         ${API_VERSIONS}
Auth (exactly one):
  --api-key-env NAME      read the key from environment variable NAME (Azure: api-key header; OpenAI: Bearer)
  --bearer-env NAME       read a bearer token (e.g. an ephemeral key) from environment variable NAME
  --entra                 Microsoft Entra ID via DefaultAzureCredential (managed identity, az login, …)
  --no-auth               send no credentials (an endpoint that needs none)
  --scope S               Entra token scope (default ${DEFAULT_ENTRA_SCOPE};
                          Azure's troubleshooting guide also names ${FOUNDRY_ENTRA_SCOPE})
  --name N, --region R    labels in the report
  --insecure-tls          accept a self-signed certificate (the simulator's --tls)
Session:
  --prompt ID|FILE.wav    repeatable; catalogue ids: see prompts/catalog.json (default: count-to-twenty)
  --turns N               turns in the session (default ${PROBE_DEFAULTS.turns}); prompts are cycled
  --mode manual|vad       manual commit + response.create (default) or server VAD
  --transport T           websocket (default) or webrtc (Opus RTP + the oai-events data channel, as browsers connect)
  --ice-server URL        repeatable, webrtc only: a stun:/turn:/turns: server (default none: direct UDP)
  --webrtc-filter         webrtc, Azure only: webrtcfilter=on (the data channel carries ~11 event types; implies --sideband)
  --sideband              webrtc only: also receive every event on the sideband WebSocket (?call_id=)
  --pace realtime|burst   stream prompt audio at speaking speed (realtime, default) or as fast as possible (burst)
  --text                  ask for text-only answers
  --output-format F       pcm16 (default) or pcmu: ask for G.711 μ-law output, as telephony clients do (websocket only);
                          a service that ignores it and sends PCM16 is an audio_format_mismatch
  --timeout-ms N          per-turn deadline for response.done (default ${PROBE_DEFAULTS.turnTimeoutMs})
  --generation-window-ms N  after a spoken preamble, how long to listen for the answer's second generation
                          (default ${PROBE_DEFAULTS.generationWindowMs}, at most ${MAX_GENERATION_WINDOW_MS})
  --session-timeout-ms N  whole-session deadline (default ${PROBE_DEFAULTS.sessionTimeoutMs})
  --out DIR               run folder (default ./canary-output/probe-<time>): events.jsonl, WAVs, report.json, report.html
Exit codes: 0 healthy, 1 findings, 2 usage/configuration error or the session could not start.`;

export async function probeCommand(argv: string[]): Promise<number> {
  const { values: f, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    endpoint: { type: 'string' },
    resource: { type: 'string' },
    deployment: { type: 'string' },
    flavour: { type: 'string' },
    dialect: { type: 'string' },
    'api-version': { type: 'string' },
    'api-key-env': { type: 'string' },
    'bearer-env': { type: 'string' },
    entra: { type: 'boolean' },
    'no-auth': { type: 'boolean' },
    scope: { type: 'string' },
    pace: { type: 'string' },
    transport: { type: 'string' },
    'ice-server': { type: 'string', multiple: true },
    'webrtc-filter': { type: 'boolean' },
    sideband: { type: 'boolean' },
    name: { type: 'string' },
    region: { type: 'string' },
    'insecure-tls': { type: 'boolean' },
    prompt: { type: 'string', multiple: true },
    turns: { type: 'string' },
    mode: { type: 'string' },
    text: { type: 'boolean' },
    'output-format': { type: 'string' },
    'timeout-ms': { type: 'string' },
    'session-timeout-ms': { type: 'string' },
    'generation-window-ms': { type: 'string' },
    out: { type: 'string' },
  });
  noPositionals(positionals);
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  const target = targetFromFlags(f);
  knowSecrets(targetSecrets(target));
  const catalog = loadCatalog();
  const prompts = resolvePrompts(f.prompt ?? ['count-to-twenty'], catalog);
  const turns = intFlag('turns', f.turns, PROBE_DEFAULTS.turns, 1);
  const mode = oneOf('mode', f.mode, ['manual', 'vad'], 'manual');
  const pace = f.pace === undefined ? undefined : oneOf<Pace>('pace', f.pace, ['realtime', 'burst'], 'realtime');
  const transport = oneOf<TransportKind>('transport', f.transport, ['websocket', 'webrtc'], 'websocket');
  for (const flag of ['ice-server', 'webrtc-filter', 'sideband'] as const)
    if (f[flag] && transport !== 'webrtc') throw new ConfigError(`--${flag}`, 'only applies with --transport webrtc');
  const outputFormat = oneOf<OutputAudioFormat>('output-format', f['output-format'], OUTPUT_AUDIO_FORMATS, 'pcm16');
  if (outputFormat !== 'pcm16' && transport !== 'websocket')
    throw new ConfigError('--output-format', 'applies to the WebSocket only (WebRTC carries Opus)');
  if (f['webrtc-filter'] && !isAzure(target.endpoint.flavour)) {
    throw new ConfigError('--webrtc-filter', `is Azure's data-channel filter; ${target.endpoint.flavour} has none`);
  }
  const outDir = resolve(f.out ?? `canary-output/probe-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const auth = f.entra
    ? 'Entra ID'
    : f['no-auth']
      ? 'no credentials'
      : f['api-key-env']
        ? `key from $${f['api-key-env']}`
        : `token from $${f['bearer-env']}`;
  console.log(
    `probing ${target.endpoint.url.host} (${target.endpoint.flavour}, ${target.endpoint.dialect} dialect, ${transport}, ${auth}), ${turns} turn(s)`,
  );
  if (target.endpoint.notice) console.log(`note: ${target.endpoint.notice}`);
  const probe: ProbeOptions = {
    prompts,
    turns,
    ...(pace ? { pace } : {}),
    transport: targetTransport({
      transport,
      ...(f['ice-server'] ? { iceServers: f['ice-server'] } : {}),
      webrtcFilter: f['webrtc-filter'],
      sideband: f.sideband,
    }),
    turnDetection: mode === 'vad' ? 'server_vad' : 'manual',
    modality: f.text ? 'text' : 'audio',
    outputFormat,
    turnTimeoutMs: intFlag('timeout-ms', f['timeout-ms'], PROBE_DEFAULTS.turnTimeoutMs, 1),
    sessionTimeoutMs: intFlag('session-timeout-ms', f['session-timeout-ms'], PROBE_DEFAULTS.sessionTimeoutMs, 1),
    generationWindowMs: intFlag(
      'generation-window-ms',
      f['generation-window-ms'],
      PROBE_DEFAULTS.generationWindowMs,
      0,
      MAX_GENERATION_WINDOW_MS,
    ),
    insecureTls: f['insecure-tls'],
    onProgress: (line) => console.log(`  ${line}`),
  };
  const retirements = parseModelRetirements(process.env.CANARY_MODEL_RETIREMENTS);
  const run = await runOne(target, { outDir, probe, retirements });
  const { trace } = run;
  const secrets = targetSecrets(target);
  let report = run.report;
  const setting = report.problem?.setting;
  if (report.problem && setting) {
    // the flag that fixes it, named in report.json and report.html as the round names the target's setting
    report = { ...report, problem: { ...report.problem, settingValue: settingFlag(f, setting) } };
    await writeFile(join(outDir, REPORT_JSON), scrub(JSON.stringify(report, null, 2), secrets) + '\n');
  }
  await writeFile(join(outDir, REPORT_HTML), scrub(renderRunHtml(report, trace), secrets));
  console.log(summarizeReport(report));
  const problem = reportProblem(report);
  if (problem) {
    const kind = problem.category === 'capacity' ? 'capacity/quota problem, not an outage' : 'configuration problem';
    console.log(`${kind} (credentials: ${auth}): ${problem.what} ${problem.fix}`);
  }
  console.log(`run folder: ${outDir}`);
  console.log(`report: ${join(outDir, REPORT_HTML)}`);
  return report.verdict === 'pass' ? 0 : report.verdict === 'fail' ? 1 : 2;
}
