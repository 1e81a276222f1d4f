/**
 * The round's digest: the targets a full round did not probe, the probes a quota held back, and — past five run
 * notifications in one round — the alerts that would each have been a card, in one card that passes the Adaptive
 * Cards parser, fits Teams' size, opens the dashboard and pages no one; the first five go out as they happen.
 */
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/sinks/alerts/alertState.js';
import type { Channel } from '../../../src/sinks/alerts/channels.js';
import { DIGEST_AFTER, digestNotification, roundDigest } from '../../../src/sinks/alerts/digest.js';
import { jsonPayload } from '../../../src/sinks/alerts/jsonPayload.js';
import { noticeSummary } from '../../../src/sinks/alerts/notices.js';
import { pagesFor } from '../../../src/sinks/alerts/pagerDuty.js';
import { envelopeBytes, teamsCard } from '../../../src/sinks/alerts/teamsCard.js';
import type { RunSummary } from '../../../src/runSummary.js';
import type { SinkContext } from '../../../src/sinks/runSink.js';
import { adaptiveCardProblems, cardTexts } from '../../helpers/adaptiveCards.js';

const AT = '2026-12-07T10:00:00.000Z';
const DASHBOARD = 'https://canary-app.azurewebsites.net/dashboard';

function skipped(target: string, kind: 'round full' | 'quota' | 'budget'): RunSummary {
  return {
    ...noticeSummary({
      runId: 'r1',
      at: AT,
      region: 'swedencentral',
      target,
      verdict: 'error',
      headline: `not probed: ${kind}`,
    }),
    notProbed: kind,
  };
}

function alert(target: string, kind: Notification['kind'] = 'alert'): Notification {
  const summary = noticeSummary({
    runId: 'r1',
    at: AT,
    region: 'swedencentral',
    target,
    verdict: 'fail',
    headline: 'no audio',
  });
  return {
    id: `${kind}:swedencentral/${target}:r1`,
    kind,
    createdAt: AT,
    region: 'swedencentral',
    target,
    summary,
    opening: {
      openedAt: AT,
      runId: 'r1',
      runStartedAt: AT,
      headline: `${target} answered without audio`,
      failureClass: 'no_audio',
    },
    window: { failing: 2, of: 3 },
    sinceOpen: { runs: 1, failing: 1 },
  };
}

describe('the digest card', () => {
  it('says what the round did not probe and what would fix it, within Teams limits', () => {
    const full = Array.from({ length: 4_864 }, (_, i) => skipped(`target-${i}`, 'round full'));
    const n = digestNotification({
      runId: 'r1',
      at: AT,
      region: 'swedencentral',
      notProbed: [...full, skipped('quota-1', 'quota'), skipped('spent', 'budget')],
      folded: [alert('a'), alert('b', 'recovery')],
    })!;
    const card = teamsCard(n, { dashboardUrl: DASHBOARD });
    const content = card.attachments[0].content;
    expect(adaptiveCardProblems(content)).toEqual([]);
    expect(envelopeBytes(card)).toBeLessThanOrEqual(20_000);
    const texts = cardTexts(card);
    expect(texts[0]).toBe(
      '📋 swedencentral: 4864 targets not probed (round full), 1 probe not sent (quota), 2 notifications in one card',
    );
    const all = texts.join('\n');
    expect(all).toMatch(/raise CANARY_CONCURRENCY, give targets a longer "every", or run fewer targets/);
    expect(all).toMatch(/Not probed: round full: 4864 in all: target-0, target-1, /);
    expect(all).toMatch(/Not probed: quota: quota-1/);
    expect(all).not.toMatch(/spent/); // the budget has its own notice
    expect(all).toMatch(/Alerts: a — a answered without audio/);
    expect(all).toMatch(/Recovered: b/);
    expect(content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open dashboard', url: DASHBOARD }]);
    expect(pagesFor(n)).toBe(false);
    expect(jsonPayload(n, undefined, {})).toMatchObject({ category: 'digest', target: 'round', evidenceUrl: null });
  });

  it('is not made for a round with nothing to say', () => {
    expect(
      digestNotification({ runId: 'r1', at: AT, region: 'x', notProbed: [skipped('spent', 'budget')], folded: [] }),
    ).toBeUndefined();
  });
});

describe('folding a round of alerts', () => {
  const ctx = (log: string[]): SinkContext =>
    ({
      log: { info: (m: string) => log.push(m), warn: (m: string) => log.push(m), error: (m: string) => log.push(m) },
      now: () => new Date(AT),
      roundStartedAt: new Date(AT),
      signal: undefined,
    }) as unknown as SinkContext;

  it('posts the first five as cards, folds the rest into the digest; PagerDuty gets every one', async () => {
    const sent: { channel: string; n: Notification }[] = [];
    const channel = (name: 'webhook' | 'pagerduty'): Channel => ({
      name,
      usable: true,
      accepts: () => true,
      send: async (n) => {
        sent.push({ channel: name, n });
        return 'delivered';
      },
    });
    const digest = roundDigest([channel('webhook'), channel('pagerduty')]);
    const notes = Array.from({ length: 12 }, (_, i) => alert(`t${i}`));
    for (const n of notes) for (const c of digest.channels) expect(await c.send(n)).toBe('delivered');
    // a redelivery of an already-posted one is posted again, not folded
    await digest.channels[0]!.send(notes[0]!);
    const webhook = sent.filter((s) => s.channel === 'webhook').map((s) => s.n.target);
    expect(webhook).toEqual(['t0', 't1', 't2', 't3', 't4', 't0']);
    expect(webhook.length - 1).toBe(DIGEST_AFTER);
    expect(sent.filter((s) => s.channel === 'pagerduty')).toHaveLength(12);
    await digest.sink.onNotProbed!(skipped('late', 'round full'), ctx([]));
    const log: string[] = [];
    await digest.sink.onRoundEnd!({ runId: 'r1', summaries: [] }, ctx(log));
    const last = sent.at(-1)!;
    expect(last.channel).toBe('webhook'); // the digest goes to the chat channel only
    expect(last.n.category).toBe('digest');
    expect(last.n.notice!.title).toBe(
      '📋 swedencentral: 1 target not probed (round full), 7 notifications in one card',
    );
    expect(last.n.notice!.facts.find((f) => f.title === 'Alerts')!.value).toMatch(
      /^t5 — .*t11 — t11 answered without audio$/,
    );
    expect(log).toEqual([expect.stringMatching(/^digest of round r1 delivered/)]);
  });
});
