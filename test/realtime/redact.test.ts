import { describe, expect, it } from 'vitest';
import { redactHeaders, redactUrl, scrub } from '../../src/realtime/redact.js';

describe('redaction', () => {
  it('removes secret query parameters and credentials from URLs', () => {
    const out = redactUrl('wss://user:pw@x.openai.azure.com/openai/realtime?api-version=1&deployment=d&api-key=SECRET123&sig=abc%2Bdef');
    expect(out).not.toContain('SECRET123');
    expect(out).not.toContain('abc');
    expect(out).not.toContain('pw@');
    expect(out).toContain('deployment=d');
    expect(out).toContain('api-key=[redacted]');
  });

  it('masks auth headers and keeps the rest', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'api-key': 'y', 'x-request-id': 'r1' })).toEqual({ authorization: '[redacted]', 'api-key': '[redacted]', 'x-request-id': 'r1' });
  });

  it('scrubs known secret values, also URL-encoded', () => {
    expect(scrub('a sk-abc/def+1 b sk-abc%2Fdef%2B1', ['sk-abc/def+1'])).toBe('a [redacted] b [redacted]');
  });
});
