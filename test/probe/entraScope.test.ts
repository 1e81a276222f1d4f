/**
 * The Entra ID scope of a session, over loopback against the simulator: the trace records the scope the token was
 * requested for (the configured one, else the default) and never the token; a 401 to that token names the scope
 * and suggests the other documented one; `--scope` is refused without `--entra` or in the wrong shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { analyzeTrace } from '../../src/analysis/index.js';
import { targetFromFlags } from '../../src/cli/targetFromFlags.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { runProbe } from '../../src/probe/session.js';
import { DEFAULT_ENTRA_SCOPE, FOUNDRY_ENTRA_SCOPE } from '../../src/realtime/auth.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import type { Trace } from '../../src/trace/trace.js';

const KEY = 'entra-scope-test-key-8d2c';
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY });
});
afterAll(async () => sim?.close());

/** A credential that hands out `token` and records the scopes it was asked for. */
function credential(token: string): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

function probe(token: string, scope?: string): Promise<Trace> {
  const endpoint = resolveEndpoint({ endpoint: sim.url('azure-ga') });
  return runProbe(
    { name: 'entra', endpoint, auth: { mode: 'entra', credential: credential(token), ...(scope ? { scope } : {}) } },
    { prompts: [loadCatalog()[0]!], turns: 1, pace: 'burst', turnTimeoutMs: 15_000 },
  );
}

describe('the Entra ID scope of a session', () => {
  it('is recorded in the trace (the default when none is configured), the token never', async () => {
    const trace = await probe(KEY);
    expect(trace.meta.target.auth).toEqual({ mode: 'entra', scope: DEFAULT_ENTRA_SCOPE });
    expect(analyzeTrace(trace).verdict).toBe('pass');
    expect(JSON.stringify({ ...trace, outputAudio: undefined, promptAudio: undefined })).not.toContain(KEY);
  });

  it('a 401 names the scope the token was requested for and suggests the other', async () => {
    const token = 'eyJ0eXAiOiJKV1QifQ.wrong-audience-token.sig';
    const trace = await probe(token, FOUNDRY_ENTRA_SCOPE);
    expect(trace.meta.target.auth).toEqual({ mode: 'entra', scope: FOUNDRY_ENTRA_SCOPE });
    const a = analyzeTrace(trace);
    expect(a.verdict).toBe('error');
    const rejected = a.findings.find((f) => f.code === 'connection_rejected')!;
    expect(rejected.message).toMatch(/^The WebSocket upgrade was rejected with HTTP 401 /);
    expect(rejected.message).toContain(
      `The Entra ID token was requested for scope ${FOUNDRY_ENTRA_SCOPE}; if the identity and its role assignment ` +
        `are right, set the target's "scope" (CLI: --scope) to ${DEFAULT_ENTRA_SCOPE}, the other documented scope, and try again.`,
    );
    expect(JSON.stringify({ ...trace, outputAudio: undefined, promptAudio: undefined })).not.toContain(token);
  });

  it('--scope needs --entra and a resource scope ending in /.default', () => {
    const endpoint = sim.url('azure-ga');
    expect(() => targetFromFlags({ endpoint, 'api-key-env': 'K', scope: FOUNDRY_ENTRA_SCOPE }, { K: KEY })).toThrow(
      '--scope: only applies with --entra',
    );
    expect(() => targetFromFlags({ endpoint, entra: true, scope: 'https://ai.azure.com' })).toThrow(
      /--scope: must be an https:\/\/ resource scope ending in \/\.default/,
    );
    const t = targetFromFlags({ endpoint, entra: true, scope: FOUNDRY_ENTRA_SCOPE });
    expect(t.auth).toMatchObject({ mode: 'entra', scope: FOUNDRY_ENTRA_SCOPE });
  });
});
