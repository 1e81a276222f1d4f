/** CANARY_MODE and the queue settings: validated, each error naming its setting, the connection string a secret. */
import { describe, expect, it } from 'vitest';
import { settingSecrets } from '../../src/config/secrets.js';
import { loadSettings } from '../../src/config/settings.js';

const base = { CANARY_CONFIG_BLOB: 'config/targets.json', CANARY_OUTPUT_DIR: '/tmp/rc-q' };
const queueCs =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleS12YWx1ZS0xMjM0NTY3ODkw;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;';

describe('queue mode settings', () => {
  it('defaults to round mode, which needs no queue', () => {
    const s = loadSettings(base);
    expect(s.mode).toBe('round');
    expect(s.queue).toBeUndefined();
  });

  it('reads the queue connection, name and lateness in queue mode, and scrubs the connection string', () => {
    const s = loadSettings({ ...base, CANARY_MODE: 'Queue', CANARY_QUEUE: queueCs, CANARY_PROBE_LATE_MS: '30000' });
    expect(s.mode).toBe('queue');
    expect(s.queue).toEqual({
      name: 'canary-probes',
      connection: { kind: 'connection-string', connectionString: queueCs },
      lateMs: 30_000,
    });
    expect(settingSecrets(s)).toContain('c2VjcmV0LWtleS12YWx1ZS0xMjM0NTY3ODkw');
    const id = loadSettings({
      ...base,
      CANARY_MODE: 'queue',
      CANARY_QUEUE__queueServiceUri: 'https://acct.queue.core.windows.net/',
      CANARY_QUEUE__clientId: 'client-1',
    });
    expect(id.queue?.connection).toEqual({
      kind: 'service-url',
      serviceUrl: 'https://acct.queue.core.windows.net/',
      clientId: 'client-1',
    });
  });

  it('names the setting of a bad value', () => {
    expect(() => loadSettings({ ...base, CANARY_MODE: 'fanout' })).toThrow(/^CANARY_MODE: must be "round" or "queue"/);
    expect(() => loadSettings({ ...base, CANARY_MODE: 'queue' })).toThrow(
      /^CANARY_QUEUE__queueServiceUri: is required/,
    );
    expect(() =>
      loadSettings({ ...base, CANARY_MODE: 'queue', CANARY_QUEUE__queueServiceUri: 'https://a.queue.x/?sig=abc' }),
    ).toThrow(/^CANARY_QUEUE__queueServiceUri: must be the queue endpoint/);
    expect(() =>
      loadSettings({ ...base, CANARY_MODE: 'queue', CANARY_QUEUE: queueCs, CANARY_QUEUE_NAME: 'Bad_Name' }),
    ).toThrow(/^CANARY_QUEUE_NAME: must be 3–56 lowercase/);
    expect(() =>
      loadSettings({ ...base, CANARY_MODE: 'queue', CANARY_QUEUE: queueCs, CANARY_PROBE_LATE_MS: '10' }),
    ).toThrow(/^CANARY_PROBE_LATE_MS: must be a whole number from 5000 to 600000/);
    expect(() => loadSettings({ ...base, CANARY_MODE: 'queue', CANARY_QUEUE: 'nonsense' })).toThrow(/^CANARY_QUEUE: /);
  });
});
