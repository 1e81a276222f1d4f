/**
 * The shipped retirement table and its one lookup, on injected days (never today's date): exact versions, rows
 * for every version, a model string without a version, and how changes (an override, a live date) apply.
 */
import { describe, expect, it } from 'vitest';
import {
  findRetirement,
  MODEL_RETIREMENTS,
  RETIREMENTS_CHECKED_ON,
  splitModelVersion,
  withRetirementChanges,
} from '../../src/realtime/lifecycle.js';

const at = (service: 'azure' | 'openai', model: string, day: string) =>
  findRetirement(MODEL_RETIREMENTS, service, model, day);

describe('the shipped retirement table', () => {
  it('has the dates of field-2026-12.md §1.1, each row with a source and the day it was checked', () => {
    const day = (s: 'azure' | 'openai', m: string) => at(s, m, '2026-12-07')?.row.retiresOn;
    expect(day('azure', 'gpt-realtime-2025-08-28')).toBe('2027-03-02');
    expect(day('azure', 'gpt-realtime-1.5-2026-02-23')).toBe('2027-08-24');
    expect(day('azure', 'gpt-realtime-2-2026-05-06')).toBe('2026-08-31');
    expect(day('azure', 'gpt-realtime-2.1-2026-07-07')).toBe('2027-06-25');
    expect(day('azure', 'gpt-realtime-2.1-mini-2026-07-07')).toBe('2027-06-25');
    expect(day('openai', 'gpt-realtime')).toBe('2027-01-20');
    expect(day('openai', 'gpt-realtime-mini')).toBe('2027-01-20');
    expect(day('openai', 'gpt-4o-realtime-preview-2024-12-17')).toBe('2026-05-07');
    expect(day('openai', 'gpt-4o-mini-realtime-preview')).toBe('2026-05-07');
    for (const r of MODEL_RETIREMENTS) {
      expect(r.source.length, r.model).toBeGreaterThan(10);
      expect(r.checkedOn).toBe(RETIREMENTS_CHECKED_ON);
      expect(r.retiresOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("takes the earlier of the two dates Microsoft's table gives gpt-realtime-mini 2025-12-15, and says why", () => {
    const m = at('azure', 'gpt-realtime-mini-2025-12-15', '2026-12-07')!;
    expect(m.row.retiresOn).toBe('2026-12-15');
    expect(m.row.note).toMatch(/2027-06-15/);
    expect(m.row.note).toMatch(/earlier one is used/);
  });

  it('an exact version wins over the row for every version, and a snapshot falls back to it', () => {
    expect(at('openai', 'gpt-realtime-mini-2025-10-06', '2026-01-01')!.row.retiresOn).toBe('2026-07-23');
    expect(at('openai', 'gpt-realtime-mini-2025-12-15', '2026-01-01')!.row.retiresOn).toBe('2027-01-20');
    expect(at('openai', 'GPT-Realtime-2025-08-28', '2026-01-01')!.row.replacement).toBe('gpt-realtime-2.1');
  });

  it('a model without a version takes the version due next on the given day, and says its version is unknown', () => {
    const before = at('azure', 'gpt-realtime-mini', '2026-09-01')!;
    expect(before.row.retiresOn).toBe('2026-09-21');
    expect(before.versionUnknown).toBe(true);
    expect(at('azure', 'gpt-realtime-mini', '2026-12-07')!.row.retiresOn).toBe('2026-12-15');
    // past every version: the last one is the one still answering
    expect(at('azure', 'gpt-realtime-mini', '2027-01-01')!.row.retiresOn).toBe('2026-12-15');
    // one version only: known
    expect(at('azure', 'gpt-realtime-2', '2026-12-07')!.versionUnknown).toBe(false);
  });

  it('knows nothing of other models, other versions or the other service', () => {
    expect(at('openai', 'gpt-realtime-2.1', '2026-12-07')).toBeUndefined();
    expect(at('azure', 'gpt-realtime-mini-2024-01-01', '2026-12-07')).toBeUndefined();
    expect(at('azure', 'my-voice-bot', '2026-12-07')).toBeUndefined();
  });

  it('splits a trailing YYYY-MM-DD off as the version', () => {
    expect(splitModelVersion('gpt-realtime-1.5-2026-02-23')).toEqual({
      model: 'gpt-realtime-1.5',
      version: '2026-02-23',
    });
    expect(splitModelVersion(' gpt-realtime ')).toEqual({ model: 'gpt-realtime', version: undefined });
  });

  it('changes replace a row by service, model and version, remove it with null, and add new rows', () => {
    const changed = withRetirementChanges(MODEL_RETIREMENTS, [
      {
        service: 'azure',
        model: 'gpt-realtime-mini',
        version: '2025-12-15',
        retiresOn: '2027-06-15',
        source: 'notice',
        checkedOn: '2026-12-01',
      },
      { service: 'openai', model: 'gpt-realtime', retiresOn: null, source: 'x', checkedOn: '' },
      { service: 'openai', model: 'gpt-realtime-2', retiresOn: '2027-09-01', source: 'y', checkedOn: '2026-12-02' },
    ]);
    expect(findRetirement(changed, 'azure', 'gpt-realtime-mini-2025-12-15', '2026-12-07')!.row).toMatchObject({
      retiresOn: '2027-06-15',
      source: 'notice',
    });
    expect(findRetirement(changed, 'openai', 'gpt-realtime', '2026-12-07')).toBeUndefined();
    expect(findRetirement(changed, 'openai', 'gpt-realtime-2', '2026-12-07')!.row.retiresOn).toBe('2027-09-01');
    expect(changed).toHaveLength(MODEL_RETIREMENTS.length);
    expect(MODEL_RETIREMENTS.find((r) => r.service === 'openai' && r.model === 'gpt-realtime')).toBeDefined();
  });
});
