import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { looksLikeSecret, redactHeaders, redactUrl, scrub } from '../../src/realtime/redact.js';

describe('redaction', () => {
  it('removes secret query parameters and credentials from URLs', () => {
    const out = redactUrl(
      'wss://user:pw@x.openai.azure.com/openai/realtime?api-version=1&deployment=d&api-key=SECRET123&sig=abc%2Bdef',
    );
    expect(out).not.toContain('SECRET123');
    expect(out).not.toContain('abc');
    expect(out).not.toContain('pw@');
    expect(out).toContain('deployment=d');
    expect(out).toContain('api-key=[redacted]');
  });

  it('masks auth headers and keeps the rest', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'api-key': 'y', 'x-request-id': 'r1' })).toEqual({
      authorization: '[redacted]',
      'api-key': '[redacted]',
      'x-request-id': 'r1',
    });
  });

  it('scrubs known secret values, also URL-encoded', () => {
    expect(scrub('a sk-abc/def+1 b sk-abc%2Fdef%2B1', ['sk-abc/def+1'])).toBe('a [redacted] b [redacted]');
  });
});

describe('key-like text the service sent', () => {
  const mask = (s: string): string => scrub(s, []);
  const azure32 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const azure84 = 'u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJQQJ99J0RlgLKOmxgJTeKdNnACOGFRIB'; // synthetic, in the 84-character layout
  const jwt =
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzIn0.c2lnbmF0dXJlLXBhcnQtaGVyZQ';

  it.each([
    ['an OpenAI key', 'key sk-abcdefghijklmnopqrstuvwx12345 here', 'sk-abcdefghijklmnopqrstuvwx12345'],
    ['an OpenAI project key', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-xyz', 'AbCdEfGhIjKlMnOpQrStUvWx'],
    [
      'an echoed partial key',
      'Incorrect API key provided: sk-abc***…AAAA. You can find your API key at https://platform.openai.com',
      '***',
    ],
    ['an echoed partial project key', 'provided: sk-proj-********************************************abcd.', 'abcd'],
    ['an ephemeral key', '{"value":"ek_68af1d4e1c2b8190a1b2c3d4e5f6a7b8"}', 'ek_68af1d4e'],
    ['a bearer token', 'Authorization: Bearer abc.def-ghi_jkl~mno', 'abc.def'],
    ['a JWT', `token ${jwt} end`, 'eyJ0eXAi'],
    ['a 32-hex Azure key', `api-key ${azure32}`, azure32],
    ['an 84-character Azure key', `"key":"${azure84}"`, azure84],
    ['a SAS signature', 'https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=AbC%2Bdef%3D&se=2026', 'AbC%2Bdef'],
    [
      'a connection-string key',
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFyYmF6cXV4cXV1eA==;EndpointSuffix=core',
      'Zm9vYmFy',
    ],
  ])('masks %s', (_what, text, secret) => {
    const out = mask(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('keeps the words around a masked key', () => {
    expect(mask('Incorrect API key provided: sk-abc***…AAAA. You can find your API key')).toBe(
      'Incorrect API key provided: [redacted]. You can find your API key',
    );
    expect(mask('Authorization: Bearer abc.def-ghi_jkl~mno')).toBe('Authorization: Bearer [redacted]');
    expect(mask('x?sv=1&sig=AbC%2Bdef%3D&se=2')).toBe('x?sv=1&sig=[redacted]&se=2');
  });

  it('leaves the ids support needs alone (real ids from the captures)', () => {
    const ids = [
      'sess_Ct1OVZ9vNW62W3cUpSCqj',
      'resp_CsZyL5IuqSgPEut0cI82K',
      'item_Ct1OZd4ZkrcbhoRueeC2O',
      'event_AqTGy3eb7hYgvyn5ALrtF',
      'conv_CsZyGLqmGCDohCYjjDPqf',
      'rtc_u1_9c1f0e5a0b7d4c3e',
      '8f1a2b3c4d5e6f70-MAA',
      'cf-ray: 9a0b1c2d3e4f5a6b-IAD',
      'apim-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e',
      'x-ms-client-request-id: 7c9e6679-7425-40de-944b-e07fc1f90ae7',
      'req_6f9a0c1d2e3b4a5f6e7d8c9b0a1f2e3d',
      'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '{"obfuscation":"A5Nj2cC01aseXj"}',
      'evt_1a2b3c4d_17',
      'risk-free task-list sk-learn',
      'Bearer <OPENAI_API_KEY>',
      'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
      "script-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", // a CSP hash
      randomBytes(300_000).toString('base64'), // base64 audio
    ];
    for (const id of ids) expect(mask(id)).toBe(id);
  });

  it('looksLikeSecret: keys and tokens yes, names and ids no', () => {
    for (const v of [
      'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz01',
      azure32,
      jwt,
      'Bearer abcdefghijkl',
      'ek_68af1d4e1c2b8190a1b2c3d4',
    ])
      expect(looksLikeSecret(v)).toBe(true);
    for (const v of [
      'AZURE_OPENAI_KEY',
      'OPENAI_API_KEY',
      'my-realtime-key',
      'sess_Ct1OVZ9vNW62W3cUpSCqj',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
      '',
    ])
      expect(looksLikeSecret(v)).toBe(false);
  });
});
