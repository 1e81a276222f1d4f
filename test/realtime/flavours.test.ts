import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  resolveEndpoint,
  inferFlavour,
  FLAVOURS,
  flavourInfo,
  dialectOf,
  isAzure,
  idHeadersOf,
  flavourNotice,
} from '../../src/realtime/flavours.js';
import {
  betaFlavourOf,
  flavourAtPath,
  flavourUrl,
  modelOf,
  servedPaths,
  usableFlavours,
  webrtcFlavours,
} from '../../src/realtime/flavours.js';
import { normalizeEventType, wireEventType, sessionUpdateEvent } from '../../src/realtime/events.js';
import { authHeaders } from '../../src/realtime/auth.js';
import { ConfigError } from '../../src/errors.js';

describe('endpoint flavours', () => {
  it('builds the Azure GA URL with model= and no api-version', () => {
    const r = resolveEndpoint({ resource: 'contoso', deployment: 'gpt-realtime', flavour: 'azure-ga' });
    expect(r.url.toString()).toBe('wss://contoso.openai.azure.com/openai/v1/realtime?model=gpt-realtime');
    expect(r.dialect).toBe('ga');
    expect(r.headers).toEqual({});
  });

  it('builds the Azure preview URL with api-version and deployment, beta dialect', () => {
    const r = resolveEndpoint({ resource: 'contoso', deployment: 'rt', flavour: 'azure-preview' });
    expect(r.url.toString()).toBe(
      'wss://contoso.openai.azure.com/openai/realtime?api-version=2025-04-01-preview&deployment=rt',
    );
    expect(r.dialect).toBe('beta');
  });

  it('builds OpenAI GA with no extra headers and no notice', () => {
    const ga = resolveEndpoint({ deployment: 'gpt-realtime', flavour: 'openai-ga' });
    expect(ga.url.toString()).toBe('wss://api.openai.com/v1/realtime?model=gpt-realtime');
    expect(ga.headers).toEqual({});
    expect(ga.notice).toBeUndefined();
  });

  it('refuses the retired OpenAI beta interface before connecting, by flavour or by --dialect beta', () => {
    const msg = 'OpenAI turned off the beta Realtime interface in May 2026; use openai-ga';
    expect(() => resolveEndpoint({ deployment: 'gpt-realtime', flavour: 'openai-beta' })).toThrow(msg);
    expect(() => resolveEndpoint({ deployment: 'gpt-realtime', flavour: 'openai-beta' })).toThrow(ConfigError);
    expect(() => resolveEndpoint({ endpoint: 'ws://127.0.0.1:9/v1/realtime?model=m', dialect: 'beta' })).toThrow(
      /^dialect: OpenAI turned off/,
    );
    expect(() =>
      resolveEndpoint({ endpoint: 'wss://api.openai.com/v1/realtime?model=m', flavour: 'openai-beta' }),
    ).toThrow(/^flavour: OpenAI turned off/);
  });

  it('keeps Azure preview working, with its deprecation notice', () => {
    const r = resolveEndpoint({ endpoint: 'wss://x.openai.azure.com/openai/realtime?deployment=d' });
    expect(r.flavour).toBe('azure-preview');
    expect(r.notice).toBe('Azure deprecated the preview Realtime API on 2026-04-30; move to /openai/v1/realtime');
    expect(resolveEndpoint({ resource: 'contoso', deployment: 'rt', flavour: 'azure-ga' }).notice).toBeUndefined();
  });

  it('infers the flavour of a full URL from its path and lets --dialect override it on Azure', () => {
    expect(inferFlavour(new URL('ws://127.0.0.1:1/openai/v1/realtime?model=x'))).toBe('azure-ga');
    expect(inferFlavour(new URL('wss://gw.example/openai/realtime?api-version=1&deployment=x'))).toBe('azure-preview');
    expect(inferFlavour(new URL('wss://proxy.example/v1/realtime?model=x'))).toBe('openai-ga');
    const beta = resolveEndpoint({ endpoint: 'ws://127.0.0.1:9/openai/v1/realtime?model=m', dialect: 'beta' });
    expect(beta).toMatchObject({ flavour: 'azure-ga', dialect: 'beta', headers: {} });
  });

  it('answers flavour questions from one table', () => {
    expect(FLAVOURS.map((f) => [f, flavourInfo(f).service, dialectOf(f), flavourInfo(f).status])).toEqual([
      ['azure-ga', 'azure', 'ga', 'ga'],
      ['azure-preview', 'azure', 'beta', 'deprecated'],
      ['openai-ga', 'openai', 'ga', 'ga'],
      ['openai-beta', 'openai', 'beta', 'retired'],
    ]);
    expect(FLAVOURS.filter(isAzure)).toEqual(['azure-ga', 'azure-preview']);
    expect(idHeadersOf('azure-ga')).toContain('x-ms-client-request-id');
    expect(idHeadersOf('openai-ga')).toEqual(['cf-ray']);
    expect(flavourNotice('openai-beta')).toBeUndefined(); // retired: refused, not noticed
  });

  it('rejects bad endpoints with errors naming the field', () => {
    expect(() => resolveEndpoint({ endpoint: 'ftp://x/v1/realtime' })).toThrow(/endpoint: must be a ws/);
    expect(() => resolveEndpoint({ endpoint: 'ws://x/somewhere' })).toThrow(ConfigError);
    expect(() =>
      resolveEndpoint({
        endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=m&api-version=2025-04-01-preview',
      }),
    ).toThrow(/401/);
    expect(() => resolveEndpoint({ flavour: 'azure-ga', deployment: 'd' })).toThrow(/resource: is required/);
  });
});

describe('the flavour table answers every flavour question', () => {
  it("carries each flavour's path, model parameter, api-version rule and WebRTC capabilities", () => {
    const row = (f: (typeof FLAVOURS)[number]) => {
      const i = flavourInfo(f);
      return [
        f,
        i.path,
        i.modelParam,
        i.defaultApiVersion ?? (i.refusesApiVersion ? 'refused' : '-'),
        i.webrtc,
        i.webrtcFilter,
      ];
    };
    expect(FLAVOURS.map(row)).toEqual([
      ['azure-ga', '/openai/v1/realtime', 'model', 'refused', true, true],
      ['azure-preview', '/openai/realtime', 'deployment', '2025-04-01-preview', false, false],
      ['openai-ga', '/v1/realtime', 'model', '-', true, false],
      ['openai-beta', '/v1/realtime', 'model', '-', false, false],
    ]);
    expect(usableFlavours()).toEqual(['azure-ga', 'azure-preview', 'openai-ga']);
    expect(webrtcFlavours()).toEqual(['azure-ga', 'openai-ga']);
    expect(servedPaths()).toEqual(['/openai/v1/realtime', '/openai/realtime', '/v1/realtime']);
    expect(servedPaths().map(flavourAtPath)).toEqual(['azure-ga', 'azure-preview', 'openai-ga']);
    expect(flavourAtPath('/x/v1/realtime')).toBeUndefined(); // exact paths only (the simulator's routes)
    expect(isAzure('azure-unknown')).toBe(false); // a name read back from storage that the table does not know
  });

  it("builds every flavour's URL the way resolveEndpoint does", () => {
    expect(flavourUrl('azure-ga', 'ws://127.0.0.1:9', 'gpt-realtime').toString()).toBe(
      'ws://127.0.0.1:9/openai/v1/realtime?model=gpt-realtime',
    );
    const preview = flavourUrl('azure-preview', 'ws://127.0.0.1:9', 'rt').toString();
    expect(preview).toBe('ws://127.0.0.1:9/openai/realtime?api-version=2025-04-01-preview&deployment=rt');
    expect(flavourUrl('azure-preview', 'wss://h', 'rt', '2024-10-01-preview').searchParams.get('api-version')).toBe(
      '2024-10-01-preview',
    );
    expect(flavourUrl('openai-beta', 'wss://api.openai.com', 'm').toString()).toBe(
      'wss://api.openai.com/v1/realtime?model=m',
    );
    for (const flavour of usableFlavours()) {
      const url = flavourUrl(flavour, 'wss://contoso.openai.azure.com', 'd').toString();
      expect(resolveEndpoint({ endpoint: url })).toMatchObject({ flavour, deployment: 'd' });
    }
  });

  it('reads the model or deployment a URL names in one place', () => {
    expect(modelOf('wss://x/openai/realtime?api-version=1&deployment=d')).toBe('d');
    expect(modelOf(new URL('wss://x/v1/realtime?model=m'))).toBe('m');
    expect(modelOf('wss://x/v1/realtime?model=m&deployment=d')).toBe('d'); // as resolveEndpoint has always reported it
    expect(modelOf('wss://x/v1/realtime')).toBeNull();
    expect(modelOf('not a url')).toBeNull();
    expect(modelOf(undefined)).toBeNull();
  });

  it("asks for the beta dialect on OpenAI's path as the retired openai-beta; an Azure path keeps its flavour", () => {
    expect(FLAVOURS.map(betaFlavourOf)).toEqual(['azure-ga', 'azure-preview', 'openai-beta', 'openai-beta']);
  });

  it('the report schema, the README and docs/deploy.md name the flavours of the table', () => {
    const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    const schema = JSON.parse(read('schema/report.schema.json')) as {
      properties: { target: { properties: { flavour: { enum: string[] } } } };
    };
    expect(schema.properties.target.properties.flavour.enum).toEqual([...FLAVOURS]);
    const readmeRows = read('README.md')
      .split('\n')
      .filter((l) => /^\| `[a-z0-9-]+` \| `\//.test(l))
      .map((l) => l.split(' | '));
    expect(readmeRows.map((cells) => cells[0])).toEqual(FLAVOURS.map((f) => `| \`${f}\``));
    readmeRows.forEach((cells, i) => expect(cells[1]!.startsWith(`\`${flavourInfo(FLAVOURS[i]!).path}\``)).toBe(true));
    const deploy = read('docs/deploy.md');
    for (const f of FLAVOURS) expect(deploy).toContain(`\`${f}\``);
  });
});

describe('dialect mapping', () => {
  it('normalizes beta names to GA names and maps back', () => {
    expect(normalizeEventType('response.audio.delta', 'beta')).toBe('response.output_audio.delta');
    expect(normalizeEventType('response.audio_transcript.done', 'beta')).toBe('response.output_audio_transcript.done');
    expect(normalizeEventType('conversation.item.created', 'beta')).toBe('conversation.item.added');
    expect(normalizeEventType('response.done', 'beta')).toBe('response.done');
    expect(wireEventType('response.output_audio.done', 'beta')).toBe('response.audio.done');
    expect(wireEventType('conversation.item.done', 'beta')).toBeNull();
    expect(wireEventType('response.output_audio.done', 'ga')).toBe('response.output_audio.done');
  });

  it('shapes session.update per dialect', () => {
    const ga = sessionUpdateEvent('ga', {
      instructions: 'i',
      voice: 'alloy',
      turnDetection: 'manual',
      modality: 'audio',
    }) as { session: Record<string, unknown> };
    expect(ga.session.type).toBe('realtime');
    expect(ga.session.output_modalities).toEqual(['audio']);
    expect(ga.session.audio).toMatchObject({
      input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null },
      output: { voice: 'alloy' },
    });
    const beta = sessionUpdateEvent('beta', {
      instructions: 'i',
      voice: 'alloy',
      turnDetection: 'server_vad',
      modality: 'audio',
    }) as { session: Record<string, unknown> };
    expect(beta.session).toMatchObject({
      input_audio_format: 'pcm16',
      output_audio_format: 'pcm16',
      voice: 'alloy',
      modalities: ['text', 'audio'],
    });
    expect(beta.session.type).toBeUndefined();
    expect(beta.session.turn_detection).toMatchObject({ type: 'server_vad' });
  });
});

describe('auth', () => {
  it('puts Azure keys in api-key and OpenAI keys in Authorization', async () => {
    expect(await authHeaders({ mode: 'api-key', key: 'k1' }, 'azure-ga')).toEqual({ 'api-key': 'k1' });
    expect(await authHeaders({ mode: 'api-key', key: 'k1' }, 'openai-ga')).toEqual({ Authorization: 'Bearer k1' });
  });

  it('asks the Entra credential for the configured scope', async () => {
    const scopes: string[] = [];
    const credential = {
      getToken: async (s: string | string[]) => (
        scopes.push(String(s)),
        { token: 'tok', expiresOnTimestamp: Date.now() + 60_000 }
      ),
    };
    expect(await authHeaders({ mode: 'entra', credential }, 'azure-ga')).toEqual({ Authorization: 'Bearer tok' });
    await authHeaders({ mode: 'entra', credential, scope: 'https://ai.azure.com/.default' }, 'azure-ga');
    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default', 'https://ai.azure.com/.default']);
  });
});
