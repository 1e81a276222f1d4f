/**
 * A stand-in for the Azure Functions host and its Node worker, enough to run this app's built functions the way
 * the host does, in a process of its own (tests and bench:fanout start several): it answers `@azure/functions`'s
 * `require('@azure/functions-core')` as the worker does (the package asks for it lazily, at the first registration), imports every file package.json's `main` glob names so
 * the app registers itself, and then either invokes one timer function once (`--timer <name>`) or listens on the
 * Storage queue of the app's queue trigger (`--queue`): host.json's `extensions.queues` (batchSize,
 * newBatchThreshold, maxDequeueCount, visibilityTimeout) bound it, a running message's visibility is renewed, a
 * message completes (is deleted) when the handler returns, and after a throw it becomes visible again
 * (visibilityTimeout) or, at maxDequeueCount, moves to `<queue>-poison` — the host's documented behaviour. Only
 * connection strings (Azurite) are supported. Every log line and invocation is reported to the parent over IPC.
 *
 * Usage: fork('dist/bench/functionsHost.js', ['--queue', '--lease-seconds', '10']) · send({ stop: true }) to end.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import functions from '@azure/functions';
import { QueueServiceClient, type DequeuedMessageItem } from '@azure/storage-queue';

interface Binding {
  type: string;
  direction: string;
  queueName?: string;
  connection?: string;
}
interface Registration {
  name: string;
  bindings: Record<string, Binding>;
  handler: (input: unknown, context: unknown) => Promise<unknown>;
}

/** What the host process tells its parent. */
export type HostReport =
  | { event: 'ready'; functions: string[] }
  | { event: 'log'; fn: string; level: string; text: string }
  | { event: 'invocation'; fn: string; ok: boolean; ms: number; dequeueCount: number; result?: unknown; error?: string }
  | { event: 'stopped'; maxRssBytes: number };

// a CommonJS package whose InvocationContext Node's named-export detection does not see
const { InvocationContext } = functions;
const ROOT = join(import.meta.dirname, '../..');
const registered: Registration[] = [];
const core = {
  setProgrammingModel: (): void => undefined,
  registerFunction: (metadata: { name: string; bindings: Record<string, Binding> }, handler: Registration['handler']) =>
    registered.push({ ...metadata, handler }),
  registerHook: () => ({ dispose: (): void => undefined }),
  log: (): void => undefined,
};
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  return request === '@azure/functions-core' ? core : load.call(this, request, ...rest);
};

const report = (r: HostReport): void => {
  if (process.send) process.send(r);
  else if (r.event !== 'log') console.log(JSON.stringify(r));
  else console.log(`${r.level}: ${r.text}`);
};

/** The files package.json's `main` names (a `*` in its last segment, as the host's glob allows; `{a,b}` too). */
function mainFiles(): string[] {
  const main = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string }).main;
  const dir = join(ROOT, dirname(main));
  const pattern = main.slice(main.lastIndexOf('/') + 1);
  const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}

for (const file of mainFiles()) await import(pathToFileURL(file).href);

function context(fn: string, triggerMetadata: Record<string, unknown>): unknown {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName: fn,
    triggerMetadata,
    logHandler: (level, ...args) => report({ event: 'log', fn, level, text: args.map(String).join(' ') }),
  });
}

/** `%NAME%` resolved from the app settings, as the host resolves binding expressions. */
function resolve(value: string): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => process.env[name] ?? '');
}

const timeSpanS = (v: unknown, fallback: number): number => {
  const m = typeof v === 'string' ? /^(\d+):(\d+):(\d+)$/.exec(v) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : fallback;
};

async function runTimer(name: string): Promise<void> {
  const fn = registered.find((r) => r.name === name);
  if (!fn) throw new Error(`no timer function ${name}; registered: ${registered.map((r) => r.name).join(', ')}`);
  const timer = {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: { last: '', next: '', lastUpdated: '' },
  };
  const t0 = performance.now();
  try {
    const result = await fn.handler(timer, context(name, {}));
    report({ event: 'invocation', fn: name, ok: true, ms: performance.now() - t0, dequeueCount: 0, result });
  } catch (err) {
    report({
      event: 'invocation',
      fn: name,
      ok: false,
      ms: performance.now() - t0,
      dequeueCount: 0,
      error: String(err),
    });
  }
}

async function runQueue(leaseS: number, idlePollMs: number): Promise<void> {
  const fn = registered.find((r) => Object.values(r.bindings).some((b) => b.type === 'queueTrigger'));
  if (!fn) throw new Error(`no queue-triggered function; registered: ${registered.map((r) => r.name).join(', ')}`);
  const binding = Object.values(fn.bindings).find((b) => b.type === 'queueTrigger')!;
  const connection = process.env[binding.connection ?? 'AzureWebJobsStorage'];
  if (!connection) throw new Error(`the connection setting ${binding.connection} is not set (a connection string)`);
  const service = QueueServiceClient.fromConnectionString(connection);
  const name = resolve(binding.queueName ?? '');
  const queue = service.getQueueClient(name);
  const poison = service.getQueueClient(`${name}-poison`);
  const host = JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8')) as {
    extensions?: { queues?: Record<string, unknown> };
  };
  const q = host.extensions?.queues ?? {};
  const batchSize = Number(q.batchSize ?? 16);
  const threshold = Number(q.newBatchThreshold ?? Math.floor(batchSize / 2));
  const maxDequeueCount = Number(q.maxDequeueCount ?? 5);
  const retryVisibilityS = timeSpanS(q.visibilityTimeout, 0);
  await queue.createIfNotExists();
  let running = 0;
  let stopping = false;
  process.on('message', (m: { stop?: boolean }) => void (m.stop && (stopping = true)));
  report({ event: 'ready', functions: registered.map((r) => r.name) });

  const one = async (m: DequeuedMessageItem): Promise<void> => {
    let receipt = m.popReceipt;
    const renew = setInterval(
      () => {
        queue
          .updateMessage(m.messageId, receipt, undefined, leaseS)
          .then((r) => (receipt = r.popReceipt ?? receipt))
          .catch(() => undefined);
      },
      (leaseS * 1000) / 2,
    );
    const text = Buffer.from(m.messageText, 'base64').toString('utf8');
    let entry: unknown = text;
    try {
      entry = JSON.parse(text);
    } catch {
      // a plain string message
    }
    const t0 = performance.now();
    const meta = { id: m.messageId, dequeueCount: m.dequeueCount, insertionTime: m.insertedOn, popReceipt: receipt };
    try {
      const result = await fn.handler(entry, context(fn.name, meta));
      clearInterval(renew);
      await queue.deleteMessage(m.messageId, receipt);
      report({
        event: 'invocation',
        fn: fn.name,
        ok: true,
        ms: performance.now() - t0,
        dequeueCount: m.dequeueCount,
        result,
      });
    } catch (err) {
      clearInterval(renew);
      if (m.dequeueCount >= maxDequeueCount) {
        await poison.createIfNotExists();
        await poison.sendMessage(m.messageText);
        await queue.deleteMessage(m.messageId, receipt);
      } else await queue.updateMessage(m.messageId, receipt, undefined, retryVisibilityS);
      const error = err instanceof Error ? err.message : String(err);
      report({
        event: 'invocation',
        fn: fn.name,
        ok: false,
        ms: performance.now() - t0,
        dequeueCount: m.dequeueCount,
        error,
      });
    }
  };

  while (!stopping || running > 0) {
    if (!stopping && running <= threshold) {
      const got = await queue
        .receiveMessages({ numberOfMessages: Math.min(32, batchSize), visibilityTimeout: leaseS })
        .catch(() => ({ receivedMessageItems: [] as DequeuedMessageItem[] }));
      for (const m of got.receivedMessageItems) {
        running++;
        void one(m).finally(() => running--);
      }
      if (got.receivedMessageItems.length) continue;
    }
    await new Promise((r) => setTimeout(r, running > threshold ? 50 : idlePollMs));
  }
}

const { values } = parseArgs({
  options: {
    queue: { type: 'boolean', default: false },
    timer: { type: 'string' },
    'lease-seconds': { type: 'string', default: '600' },
    'poll-ms': { type: 'string', default: '250' },
  },
});
if (values.timer) await runTimer(values.timer);
else if (values.queue) await runQueue(Number(values['lease-seconds']), Number(values['poll-ms']));
report({ event: 'stopped', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
process.disconnect?.();
