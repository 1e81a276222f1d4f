import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/runner/pool.js';
import { publishConcurrency } from '../../src/runner/round.js';

describe('Slots', () => {
  it('lets at most n callers in at once, the others in arrival order, and frees a slot when a caller throws', async () => {
    const slots = new Slots(2);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    const release: (() => void)[] = [];
    const calls = [0, 1, 2, 3, 4].map((i) =>
      slots.run(async () => {
        inside++;
        most = Math.max(most, inside);
        order.push(i);
        await new Promise<void>((r) => release.push(r));
        inside--;
        if (i === 1) throw new Error('publishing failed');
        return i;
      }).then(() => 'fulfilled', () => 'rejected'),
    );
    while (order.length < 5) {
      await new Promise((r) => setTimeout(r, 1));
      release.shift()?.();
    }
    release.forEach((r) => r());
    const results = await Promise.all(calls);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('publishing gets a quarter of the probe concurrency, at least 2', () => {
    expect([1, 8, 16, 50].map(publishConcurrency)).toEqual([2, 2, 4, 13]);
  });
});
