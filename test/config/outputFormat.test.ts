/**
 * A target's `outputFormat` (and the probe command's --output-format): `pcm16` or `pcmu`, WebSocket only, refused
 * with an error naming the field otherwise; the round passes it to the probe, which asks for it in each dialect.
 */
import { describe, expect, it } from 'vitest';
import { parseTargets } from '../../src/config/targets.js';
import { sessionUpdateEvent } from '../../src/realtime/events.js';

const target = (extra: Record<string, unknown>): string =>
  JSON.stringify([
    { name: 'fr', endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=m', secretSetting: 'KEY_FR', ...extra },
  ]);

describe('a target’s outputFormat', () => {
  it('is pcm16 or pcmu, absent by default', () => {
    expect(parseTargets(target({}))[0]!.outputFormat).toBeUndefined();
    expect(parseTargets(target({ outputFormat: 'pcmu' }))[0]!.outputFormat).toBe('pcmu');
    expect(parseTargets(target({ outputFormat: 'pcm16', transport: 'both' })).map((t) => t.outputFormat)).toEqual([
      'pcm16',
      'pcm16',
    ]);
  });

  it.each([
    [{ outputFormat: 'ulaw' }, 'CANARY_TARGETS[0].outputFormat: must be "pcm16" or "pcmu"'],
    [{ outputFormat: 8 }, 'CANARY_TARGETS[0].outputFormat: must be a non-empty string'],
    [{ outputFormat: 'pcmu', transport: 'webrtc' }, 'CANARY_TARGETS[0].outputFormat: applies to the WebSocket only'],
    [{ outputFormat: 'pcmu', transport: 'both' }, 'CANARY_TARGETS[0].outputFormat: applies to the WebSocket only'],
  ])('%j is refused naming the field', (extra, message) => {
    expect(() => parseTargets(target(extra))).toThrow(message);
  });
});

describe('session.update asks for the format in each dialect', () => {
  const base = { instructions: 'i', voice: 'alloy', turnDetection: 'manual', modality: 'audio' } as const;
  it('GA: audio.output.format {type: audio/pcmu}; PCM16 at 24 kHz by default', () => {
    const ga = (o: object): unknown =>
      (sessionUpdateEvent('ga', { ...base, ...o }).session as { audio: { output: { format: unknown } } }).audio.output
        .format;
    expect(ga({ outputFormat: 'pcmu' })).toEqual({ type: 'audio/pcmu' });
    expect(ga({})).toEqual({ type: 'audio/pcm', rate: 24000 });
  });

  it('beta (Azure preview): output_audio_format g711_ulaw; pcm16 by default', () => {
    const beta = (o: object): unknown =>
      (sessionUpdateEvent('beta', { ...base, ...o }).session as { output_audio_format: unknown }).output_audio_format;
    expect(beta({ outputFormat: 'pcmu' })).toBe('g711_ulaw');
    expect(beta({})).toBe('pcm16');
  });
});
