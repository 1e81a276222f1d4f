/** The one fan-out: a sink that throws or hangs is logged and skipped, never stopping another sink; record sinks finish before notify sinks. */
import { describe, expect, it } from 'vitest';
import { fanOut } from '../../src/sinks/fanOut.js';
import type { RunSink } from '../../src/sinks/runSink.js';

const sink = (
  name: string,
  stage: RunSink['stage'],
  budgetMs: number,
  run: (signal: AbortSignal) => Promise<void>,
): RunSink => ({ name, stage, budgetMs, onRoundEnd: (_e, ctx) => run(ctx.signal) });

describe('fan-out', () => {
  it('isolates a throwing and a hanging sink, each under its own budget, and keeps the stage order', async () => {
    const order: string[] = [];
    const lines: string[] = [];
    let aborted = false;
    const sinks = [
      sink(
        'hangs',
        'record',
        300,
        (signal) => new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true))),
      ),
      sink('throws', 'record', 1_000, async () => Promise.reject(new Error('disk full'))),
      sink('works', 'record', 1_000, async () => void order.push('record')),
      sink('notifies', 'notify', 1_000, async () => void order.push('notify')),
    ];
    const t = Date.now();
    const failures = await fanOut(
      sinks,
      'end of round',
      (s, ctx) => s.onRoundEnd?.({ runId: 'r', summaries: [] }, ctx),
      {
        log: { info: () => undefined, warn: () => undefined, error: (m) => lines.push(m) },
        now: () => new Date(),
        roundStartedAt: new Date(),
        deadlineAt: Date.now() + 60_000,
      },
    );
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(failures.map((f) => f.sink).sort()).toEqual(['hangs', 'throws']);
    expect(lines.join('\n')).toMatch(
      /hangs sink failed \(end of round\): hangs sink \(end of round\): no answer within 300 ms/,
    );
    expect(lines.join('\n')).toMatch(/throws sink failed \(end of round\): disk full/);
    expect(order).toEqual(['record', 'notify']);
    expect(aborted).toBe(true); // the hung work was told to stop
  });

  it('cuts every budget to what is left of the round', async () => {
    const failures = await fanOut(
      [sink('slow', 'record', 60_000, () => new Promise<void>((r) => setTimeout(r, 5_000)))],
      'x',
      (s, ctx) => s.onRoundEnd?.({ runId: 'r', summaries: [] }, ctx),
      {
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        now: () => new Date(),
        roundStartedAt: new Date(),
        deadlineAt: Date.now() + 200,
      },
    );
    expect(failures[0]!.reason).toMatch(/no answer within 2\d\d ms|no answer within 1\d\d ms/);
  });
});
