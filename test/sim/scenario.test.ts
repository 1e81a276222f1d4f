import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, faultsForTurn, scenarioFromJson } from '../../src/sim/index.js';

const NAMES = [
  'healthy',
  'healthy-bursty',
  'multi-item',
  'late-deltas',
  'silent-gap',
  'silent-gap-noise',
  'truncated',
  'no-audio-done',
  'no-response-done',
  'stall',
  'drop',
  'close-1001',
  'close-1011',
  'failed',
  'incomplete',
  'cancelled',
  'error-event',
  'slow-delivery',
  'text-only',
  'slow-first-audio',
  'reject-401',
  'reject-403',
  'reject-429',
  'reject-503',
  'gap-in-turn-2',
  'lose-last-deltas',
  'silent-tail',
  'silent-tail-noise',
  'failed-after-partial',
  'output-cap',
  'close-4000',
  'openai-bad-key',
  'openai-missing-key',
  'openai-bad-model',
  'openai-missing-model',
  'openai-beta-header',
  // the reasoning generation and the failures reported in 2026 (builtin-reasoning.ts)
  'reasoning-healthy',
  'reasoning',
  'reasoning-gap',
  'preamble-only',
  'two-generations',
  'second-generation-silent',
  'capacity-unavailable',
  'rate-limit-rpm',
  'rate-limit-rpd',
  'reject-403-suspended',
  'reject-403-network',
  'reject-400-operation-not-supported',
  'model-retired',
  'pcmu-ignored',
  'repeated-audio',
  'session-max-duration',
];

describe('BUILTIN_SCENARIOS', () => {
  it('has the stable names', () => {
    expect(Object.keys(BUILTIN_SCENARIOS).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('%s is valid data that round-trips through scenarioFromJson', (name) => {
    const s = BUILTIN_SCENARIOS[name]!;
    expect(s.name).toBe(name);
    expect(s.description.length).toBeGreaterThan(10);
    expect(scenarioFromJson(JSON.stringify(s))).toEqual(s);
  });

  it("everyTurn adds its faults to every turn, after the turn's own", () => {
    const s = {
      name: 'x',
      description: '',
      everyTurn: [{ kind: 'text-only' as const }],
      turns: [{ faults: [{ kind: 'no-audio-done' as const }] }],
    };
    expect(faultsForTurn(s, 1)).toEqual([{ kind: 'no-audio-done' }, { kind: 'text-only' }]);
    expect(faultsForTurn(s, 7)).toEqual([{ kind: 'text-only' }]);
  });

  it('gap-in-turn-2 has its fault in turn 2 only; multi-item adds two-items to every turn', () => {
    const g = BUILTIN_SCENARIOS['gap-in-turn-2']!;
    expect([1, 2, 3].map((t) => faultsForTurn(g, t).length)).toEqual([0, 1, 0]);
    expect(faultsForTurn(BUILTIN_SCENARIOS['multi-item']!, 5)).toEqual([{ kind: 'two-items' }]);
    expect(faultsForTurn(BUILTIN_SCENARIOS['silent-gap']!, 2)).toEqual([]);
  });
});

describe('scenarioFromJson', () => {
  const bad: [string, unknown, RegExp][] = [
    ['not JSON', '{', /^scenario: is not valid JSON/],
    ['not an object', [], /^scenario: must be a JSON object/],
    ['no name', { turns: [] }, /^scenario\.name: is required/],
    ['a bad name', { name: 'a b' }, /^scenario\.name: may only hold/],
    ['an unknown field', { name: 'x', speed: 2 }, /^scenario\.speed: is not a known field/],
    [
      'an unknown fault kind',
      { name: 'x', turns: [{ faults: [{ kind: 'explode' }] }] },
      /^scenario\.turns\[0\]\.faults\[0\]\.kind: must be one of .*silent-gap/,
    ],
    [
      'a missing atMs',
      { name: 'x', turns: [{ faults: [{ kind: 'drop' }] }] },
      /^scenario\.turns\[0\]\.faults\[0\]\.atMs: is required/,
    ],
    [
      'a string atMs',
      { name: 'x', turns: [{}, { faults: [{ kind: 'stall', atMs: '1', durationMs: 5 }] }] },
      /^scenario\.turns\[1\]\.faults\[0\]\.atMs: must be a number/,
    ],
    [
      'late deltas beyond 300 ms',
      { name: 'x', turns: [{ faults: [{ kind: 'late-deltas', count: 1, afterMs: 500 }] }] },
      /afterMs: must be between 0 and 300/,
    ],
    [
      'a bad close code',
      { name: 'x', turns: [{ faults: [{ kind: 'close', atMs: 1, code: 4001, reason: '' }] }] },
      /code: must be one of 1000, 1001, 1011, 3000, 4000/,
    ],
    [
      'a lose-last-deltas without count',
      { name: 'x', turns: [{ faults: [{ kind: 'lose-last-deltas' }] }] },
      /faults\[0\]\.count: is required/,
    ],
    [
      'a silent-tail with loud noise',
      { name: 'x', turns: [{ faults: [{ kind: 'silent-tail', atMs: 5, noiseDbfs: 3 }] }] },
      /noiseDbfs: must be between -120 and 0/,
    ],
    [
      'an output cap of zero',
      { name: 'x', turns: [{ faults: [{ kind: 'output-cap', maxOutputTokens: 0 }] }] },
      /maxOutputTokens: must be between 1 and/,
    ],
    [
      'a failed-after-partial without atMs',
      { name: 'x', turns: [{ faults: [{ kind: 'failed-after-partial' }] }] },
      /faults\[0\]\.atMs: is required/,
    ],
    [
      'an unknown refusal',
      { name: 'x', refusal: 'nope' },
      /^scenario\.refusal: must be one of invalid_api_key, missing_key/,
    ],
    ['an empty answer', { name: 'x', answer: ' . ' }, /^scenario\.answer: must hold at least one word/],
    [
      'delta sizes upside down',
      { name: 'x', delivery: { deltaMs: { min: 400, max: 200 } } },
      /^scenario\.delivery\.deltaMs\.max: must be at least deltaMs\.min/,
    ],
    [
      'tiny deltas',
      { name: 'x', delivery: { deltaMs: { min: 1, max: 2 } } },
      /^scenario\.delivery\.deltaMs\.min: must be between 10 and 10000/,
    ],
    [
      'a bad status',
      { name: 'x', turns: [{ faults: [{ kind: 'status', status: 'weird' }] }] },
      /status: must be one of failed, incomplete, cancelled/,
    ],
    [
      'an extra fault field',
      { name: 'x', turns: [{ faults: [{ kind: 'no-audio-done', atMs: 3 }] }] },
      /faults\[0\]\.atMs: is not a known field/,
    ],
    [
      'a bad upgrade status',
      { name: 'x', upgrade: { status: 500 } },
      /^scenario\.upgrade\.status: must be one of 400, 401, 403, 429, 503/,
    ],
    ['a negative speed', { name: 'x', delivery: { speed: -1 } }, /^scenario\.delivery\.speed: must be between/],
    [
      'a reason on a non-403',
      { name: 'x', upgrade: { status: 429, reason: 'suspended' } },
      /^scenario\.upgrade\.reason: only applies to status 403/,
    ],
    [
      'a bad 403 reason',
      { name: 'x', upgrade: { status: 403, reason: 'abuse' } },
      /^scenario\.upgrade\.reason: must be one of network, suspended/,
    ],
    ['an unknown profile', { name: 'x', profile: 'thinking' }, /^scenario\.profile: must be one of classic, reasoning/],
    [
      'a string reasoning pause',
      { name: 'x', reasoning: { reasoningMs: '2s' } },
      /^scenario\.reasoning\.reasoningMs: must be a number/,
    ],
    [
      'an unknown reasoning field',
      { name: 'x', reasoning: { effort: 'high' } },
      /^scenario\.reasoning\.effort: is not a known field/,
    ],
    [
      'everyTurn not an array',
      { name: 'x', everyTurn: { kind: 'text-only' } },
      /^scenario\.everyTurn: must be an array/,
    ],
    [
      'a bad rate-limit window',
      { name: 'x', everyTurn: [{ kind: 'rate-limit', window: 'rph' }] },
      /^scenario\.everyTurn\[0\]\.window: must be one of rpm, rpd/,
    ],
    ['a zero session cap', { name: 'x', maxSessionMs: 0 }, /^scenario\.maxSessionMs: must be between 1 and 3600000/],
    ['turns not an array', { name: 'x', turns: {} }, /^scenario\.turns: must be an array/],
  ];
  it.each(bad)('rejects %s, naming the field', (_what, value, message) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    expect(() => scenarioFromJson(text)).toThrow(message);
  });

  it('accepts a user scenario', () => {
    const s = scenarioFromJson(
      JSON.stringify({
        name: 'mine',
        delivery: { speed: 2 },
        turns: [{ faults: [] }, { faults: [{ kind: 'silent-gap', atMs: 100, durationMs: 1500, noiseDbfs: -60 }] }],
      }),
    );
    expect(s.description).toBe('');
    expect(faultsForTurn(s, 2)).toEqual([{ kind: 'silent-gap', atMs: 100, durationMs: 1500, noiseDbfs: -60 }]);
  });
});
