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
      slots
        .run(async () => {
          inside++;
          most = Math.max(most, inside);
          order.push(i);
          await new Promise<void>((r) => release.push(r));
          inside--;
          if (i === 1) throw new Error('publishing failed');
          return i;
        })
        .then(
          () => 'fulfilled',
          () => 'rejected',
        ),
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

  it('a caller that steps outside gives its slot to the next in line, and waits its turn to come back', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    let releaseB!: () => void;
    const a = slots.run(async (lease) => {
      order.push('a in');
      await lease.outside(async () => {
        order.push('a outside');
        await new Promise((r) => setTimeout(r, 20)); // b takes the slot meanwhile
        order.push('a done outside');
      });
      order.push('a back');
    });
    const b = slots.run(async () => {
      order.push('b in');
      await new Promise<void>((r) => (releaseB = r));
      order.push('b out');
    });
    await new Promise((r) => setTimeout(r, 40));
    expect(order).toEqual(['a in', 'a outside', 'b in', 'a done outside']); // a waits: b holds the only slot
    releaseB();
    await Promise.all([a, b]);
    expect(order.slice(4)).toEqual(['b out', 'a back']);
  });

  it('publishing gets a quarter of the probe concurrency, at least 2', () => {
    expect([1, 8, 16, 50].map(publishConcurrency)).toEqual([2, 2, 4, 13]);
  });
});
