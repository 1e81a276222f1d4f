/** How often a schedule fires per day: what the cost projection multiplies a run by. */
import { describe, expect, it } from 'vitest';
import { runsPerDay } from '../../src/config/runsPerDay.js';

describe('schedule', () => {
  it('counts runs per day of NCRONTAB schedules', () => {
    expect(runsPerDay('0 */10 * * * *')).toBe(144);
    expect(runsPerDay('0 */5 * * * *')).toBe(288);
    expect(runsPerDay('0 0 * * * *')).toBe(24);
    expect(runsPerDay('0 0,30 8-17 * * *')).toBe(20);
    expect(runsPerDay('0 0 9 * * Mon-Fri')).toBeCloseTo(5 / 7, 6);
    expect(runsPerDay('*/30 * * * * *')).toBe(2880);
  });
});
