/**
 * Registers queue mode's prober (CANARY_MODE=queue): a Storage-queue trigger on CANARY_QUEUE_NAME (default
 * `canary-probes`) over the connection CANARY_QUEUE (a connection string, or the identity-based
 * `CANARY_QUEUE__queueServiceUri` + `__credential` + `__clientId`). In round mode nothing is registered, so a round
 * app needs no queue. The handler lives in ../handlers (no registration side effect there).
 */
import { app } from '@azure/functions';
import { DEFAULT_QUEUE_NAME, modeAtStart } from '../config/queueSettings.js';
import { canaryProber } from '../handlers/canaryProber.js';

if (modeAtStart(process.env) === 'queue')
  app.storageQueue('canaryProber', {
    queueName: process.env.CANARY_QUEUE_NAME?.trim() ? '%CANARY_QUEUE_NAME%' : DEFAULT_QUEUE_NAME,
    connection: 'CANARY_QUEUE',
    handler: canaryProber,
  });
