#!/usr/bin/env node
/**
 * realtime-canary command line. Exit codes: 0 every turn healthy (or the command succeeded), 1 findings (or the
 * webhook refused the test alert), 2 usage or configuration errors and sessions that could not start.
 */
import { closestFlag } from './cli/args.js';
import { ConfigError, InputError } from './errors.js';
import { shownName } from './config/shown.js';
import { scrubPrinted } from './cli/printed.js';
import { TOOL_VERSION } from './version.js';

const HELP = `realtime-canary ${TOOL_VERSION} — finds Realtime API deployments that stop emitting audio

Usage:
  realtime-canary probe --endpoint <url> [options]   probe one deployment, write events, audio and report.json
  realtime-canary sim [--port N] [--scenario NAME]   serve the built-in Realtime simulator
  realtime-canary demo [--out DIR]                   simulator + scheduled rounds over faulty targets (what npm start runs)
  realtime-canary report <run-dir>                   render report.html for a run folder (local or from Blob Storage)
  realtime-canary validate [--settings FILE]         check settings and targets as the Function loads them; print the plan
  realtime-canary test-alert [--settings FILE]       send a marked sample alert to every channel (webhook, PagerDuty)
  realtime-canary cost [--bicepparam FILE]           what a configuration costs per run, day and month
  realtime-canary --help | --version

Run "realtime-canary <command> --help" for the options of a command.`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  probe: async () => (await import('./cli/probeCommand.js')).probeCommand,
  sim: async () => (await import('./cli/simCommand.js')).simCommand,
  demo: async () => (await import('./cli/demoCommand.js')).demoCommand,
  report: async () => (await import('./cli/reportCommand.js')).reportCommand,
  validate: async () => (await import('./cli/validateCommand.js')).validateCommand,
  'test-alert': async () => (await import('./cli/testAlertCommand.js')).testAlertCommand,
  cost: async () => (await import('./cli/costCommand.js')).costCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(TOOL_VERSION);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const guess = closestFlag(name, Object.keys(COMMANDS));
    console.error(
      `realtime-canary: unknown command ${shownName(name)}${guess ? `; did you mean ${guess}?` : ''}\n\n${HELP}`,
    );
    return 2;
  }
  try {
    return await (
      await load()
    )(rest);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof InputError) {
      console.error(`realtime-canary ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

/** Commands that serve until stopped; every other command is done when its promise settles. */
const LONG_RUNNING = new Set(['sim']);

// every line printed from here on is scrubbed of the secrets the process knows (./cli/printed.ts)
scrubPrinted(process.stdout, process.env);
scrubPrinted(process.stderr, process.env);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // a finished one-shot command exits even if a library left a handle open (werift keeps a UDP socket pair per
    // WebRTC call after close) — once stdout and stderr are flushed: a pipe takes a long plan (5,000 targets) in
    // pieces, and exiting earlier cut it off
    const exit = (): void => void process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    if (!LONG_RUNNING.has(process.argv[2] ?? '')) setImmediate(exit);
  },
  (err: unknown) => {
    console.error(
      `realtime-canary: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exitCode = 3;
  },
);
