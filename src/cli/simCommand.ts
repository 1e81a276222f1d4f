/** `realtime-canary sim`: serve the built-in Realtime simulator until stopped. */
import { readFileSync } from 'node:fs';
import { BUILTIN_SCENARIOS, scenarioFromJson, startSimulator } from '../sim/index.js';
import { BUILTIN_WEBRTC_SCENARIOS } from '../sim/webrtc/mediaFaults.js';
import { flavourInfo, flavourNotice, servedPaths, usableFlavours, webrtcFlavours } from '../realtime/flavours.js';
import { intFlag, noPositionals, parse, UsageError } from './args.js';

/** What `--list` says before the WebRTC scenarios: where they apply and how a probe reaches a turn-2 fault. */
export const WEBRTC_LIST_HEADING =
  'WebRTC only (…/realtime/calls; a probe picks one with ?scenario=NAME and --transport webrtc, and needs --turns 2 or more for a turn-2 fault):';

const HELP = `realtime-canary sim [--port N] [--host H] [--scenario NAME|FILE.json] [--api-key KEY] [--tls] [--list]

Serves every flavour at its real path (${servedPaths().join(', ')}), and WebRTC
(…/realtime/client_secrets, …/realtime/calls; scenarios ${Object.keys(BUILTIN_WEBRTC_SCENARIOS).join(', ')}).
A connection may pick a scenario with ?scenario=NAME on its URL; --scenario sets the default.
The model the URL names picks the model profile: gpt-realtime-2.1 and gpt-realtime-2.1-mini answer as
reasoning models (phase on every item, a spoken commentary preamble before longer reasoning, a reasoning
pause per reasoning.effort, then the final_answer); any other name answers as today's models. The
reasoning-* scenarios (and preamble-only, two-generations, second-generation-silent) force the reasoning one.
  --port N        port (default 8765; 0 = any free port)
  --host H        address to listen on (default 127.0.0.1)
  --scenario S    the default event scenario: a built-in name (see --list) or a scenario JSON file
  --api-key KEY   the key clients must send (default sim-key)
  --tls           serve wss:// with a self-signed certificate (needs openssl)
  --list          list the built-in scenarios (event scenarios, then the WebRTC ones) and exit`;

export async function simCommand(argv: string[]): Promise<number> {
  const { values: f, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    port: { type: 'string' },
    host: { type: 'string' },
    scenario: { type: 'string' },
    'api-key': { type: 'string' },
    tls: { type: 'boolean' },
    list: { type: 'boolean' },
  });
  noPositionals(positionals);
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  if (f.list) {
    listScenarios();
    return 0;
  }
  let scenario: string | ReturnType<typeof scenarioFromJson> | undefined = f.scenario;
  if (f.scenario?.endsWith('.json')) scenario = scenarioFromJson(readFileSync(f.scenario, 'utf8'));
  else if (f.scenario && BUILTIN_WEBRTC_SCENARIOS[f.scenario])
    throw new UsageError(
      '--scenario',
      `"${f.scenario}" is a WebRTC scenario: a call picks it with ?scenario=${f.scenario} on the endpoint of a --transport webrtc probe`,
    );
  else if (f.scenario && !BUILTIN_SCENARIOS[f.scenario])
    throw new UsageError('--scenario', `unknown scenario "${f.scenario}" (see --list)`);
  const port = intFlag('port', f.port, 8765);
  const sim = await startSimulator({ port, host: f.host, scenario, apiKey: f['api-key'], tls: f.tls }).catch(
    (err: unknown) => {
      throw listenError(err, port, f.host);
    },
  );
  console.log(`realtime simulator listening on ${sim.baseUrl} (key: ${f['api-key'] ? 'as given' : 'sim-key'})`);
  for (const flavour of usableFlavours())
    console.log(
      `  ${flavour.padEnd(14)} ${sim.url(flavour)}${flavourNotice(flavour) ? `   (${flavourNotice(flavour)})` : ''}`,
    );
  const http = sim.baseUrl.replace(/^ws/, 'http');
  console.log('WebRTC (ephemeral key, then POST the SDP offer; sideband: the WebSocket URL with ?call_id=rtc_…):');
  for (const flavour of webrtcFlavours()) {
    const { path, webrtcFilter } = flavourInfo(flavour);
    console.log(
      `  ${flavour.padEnd(14)} ${http}${path}/client_secrets   ${http}${path}/calls${webrtcFilter ? '[?webrtcfilter=on]' : ''}`,
    );
  }
  console.log('press Ctrl+C to stop');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}

/** The event scenarios (both transports), then the WebRTC ones, each name and its description in one column. */
function listScenarios(): void {
  const width =
    Math.max(...[BUILTIN_SCENARIOS, BUILTIN_WEBRTC_SCENARIOS].flatMap(Object.keys).map((n) => n.length)) + 2;
  for (const [name, s] of Object.entries(BUILTIN_SCENARIOS)) console.log(`${name.padEnd(width)}${s.description}`);
  console.log(`\n${WEBRTC_LIST_HEADING}`);
  for (const [name, s] of Object.entries(BUILTIN_WEBRTC_SCENARIOS))
    console.log(`${name.padEnd(width)}${s.description}`);
}

/** A failure to listen as a one-line usage error (busy port, no permission, unknown host); anything else unchanged. */
function listenError(err: unknown, port: number, host: string | undefined): unknown {
  const code = (err as { code?: unknown }).code;
  const where = `${host ?? 'the default host'}:${port}`;
  if (code === 'EADDRINUSE')
    return new UsageError(
      '--port',
      `${port} is already in use on ${host ?? 'this machine'}; stop what is listening there or pick another port (--port 0 takes any free one)`,
    );
  if (code === 'EACCES')
    return new UsageError(
      '--port',
      `not allowed to listen on ${where} (ports below 1024 need privileges); pick another port`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new UsageError('--host', `cannot listen on ${where}: the address is not on this machine`);
  return err;
}
