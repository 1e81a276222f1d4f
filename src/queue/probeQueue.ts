/**
 * The probe queue and its poison queue (`<name>-poison`, where the Functions host moves a message after
 * `maxDequeueCount` failed attempts): one client from the queue settings — a connection string (Azurite), or the
 * queue endpoint with the app's Entra identity; never a shared key in Azure.
 */
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { azureCredential } from '../azure/credential.js';
import type { QueueSettings } from '../config/queueSettings.js';
import { encodeProbeMessage, type ProbeMessage } from './probeMessage.js';

/** What the planner and the poison check need of the queue. */
export interface ProbeQueue {
  /** Where it is, for logs (never a key): `queue:<account>/<name>`. */
  readonly description: string;
  /** Enqueues a message that becomes visible in `visibleInMs` and expires `ttlMs` after it is sent. */
  send(message: ProbeMessage, visibleInMs: number, ttlMs: number, signal?: AbortSignal): Promise<void>;
  /** The approximate number of messages in the poison queue (0 when it does not exist). */
  poisonLength(signal?: AbortSignal): Promise<number>;
  /** Creates the queue (and the poison queue) when missing. */
  ensure(signal?: AbortSignal): Promise<void>;
}

/** Storage's cap on an initial visibility delay: 7 days. */
const MAX_VISIBILITY_S = 7 * 24 * 3600;

export function queueService(q: QueueSettings): QueueServiceClient {
  const c = q.connection;
  return c.kind === 'connection-string'
    ? QueueServiceClient.fromConnectionString(c.connectionString)
    : new QueueServiceClient(c.serviceUrl, azureCredential(c.clientId));
}

export function poisonQueueName(name: string): string {
  return `${name}-poison`;
}

export function openProbeQueue(q: QueueSettings, service = queueService(q)): ProbeQueue {
  const queue: QueueClient = service.getQueueClient(q.name);
  const poison = service.getQueueClient(poisonQueueName(q.name));
  return {
    description: `queue:${service.accountName}/${q.name}`,
    async send(message, visibleInMs, ttlMs, abortSignal) {
      await queue.sendMessage(encodeProbeMessage(message), {
        visibilityTimeout: Math.min(MAX_VISIBILITY_S, Math.max(0, Math.floor(visibleInMs / 1000))),
        messageTimeToLive: Math.max(60, Math.ceil(ttlMs / 1000)),
        abortSignal,
      });
    },
    async poisonLength(abortSignal) {
      if (!(await poison.exists({ abortSignal }))) return 0;
      return (await poison.getProperties({ abortSignal })).approximateMessagesCount ?? 0;
    },
    async ensure(abortSignal) {
      await queue.createIfNotExists({ abortSignal });
      await poison.createIfNotExists({ abortSignal });
    },
  };
}
