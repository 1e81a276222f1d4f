/**
 * The four kinds of card (incident, configuration, capacity, budget) and what makes them readable in ten seconds: the
 * title says target, region and what went wrong; a configuration problem says what to fix and the setting to fix it
 * in, and never blames the service; a capacity problem says retry, raise the quota or move region, with the wait the
 * service asked for, and never drafts a support case; service text stays plain text (no links, emphasis or mentions smuggled in); texts are cut between
 * words; the buttons open the report, the dashboard and the evidence zip when they could be linked; and every
 * card passes the Adaptive Cards parser of the `adaptivecards` package with no error or warning.
 */
import { describe, expect, it } from 'vitest';
import { nextAlertState, type AlertState, type Notification } from '../../../src/sinks/alerts/alertState.js';
import { linkPaths, notificationLinks, reportsSiteUrl, type LinkMaker } from '../../../src/sinks/alerts/cardLinks.js';
import { cardPlain } from '../../../src/sinks/alerts/cardText.js';
import { jsonPayload } from '../../../src/sinks/alerts/jsonPayload.js';
import { clipAtWord } from '../../../src/sinks/alerts/notificationText.js';
import { renderPayload, sendNotification } from '../../../src/sinks/alerts/notify.js';
import type { ArtifactStore } from '../../../src/store/artifactStore.js';
import { startWebhookReceiver } from '../../helpers/webhookReceiver.js';
import type { RunSummary } from '../../../src/runSummary.js';
import {
  envelopeBytes,
  MAX_ENVELOPE_BYTES,
  teamsCard,
  type TeamsEnvelope,
} from '../../../src/sinks/alerts/teamsCard.js';
import { adaptiveCardProblems, cardTexts, parsedVersion } from '../../helpers/adaptiveCards.js';
import { makeRunSummary } from '../../helpers/runSummary.js';
import { problemOf, type ProblemKind, type RunProblem } from '../../../src/analysis/problems.js';

const HOST = 'canary-swe.openai.azure.com';

/** A summary's `problem`, in the words of the one table (as the round writes it from report.json). */
function problemFor(kind: ProblemKind, extra: Partial<RunProblem> = {}): RunSummary['problem'] {
  const { category: _, ...rest } = problemOf(kind, { host: HOST }, extra);
  return rest;
}

const LINKS = {
  reportUrl: 'https://canary-app.azurewebsites.net/reports/runs/r/report.html',
  dashboardUrl: 'https://canary-app.azurewebsites.net/dashboard',
  evidenceUrl: 'https://canary-app.azurewebsites.net/reports/runs/r/evidence.zip',
};
const AZURE_401 =
  'The WebSocket upgrade was rejected with HTTP 401 Unauthorized: Access denied due to invalid subscription key or ' +
  'wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

/** The alert (and, with `recover`, the recovery) of a target failing twice with this summary. */
function notify(overrides: Partial<RunSummary>, recover = false): Notification[] {
  const t0 = Date.parse('2026-11-02T10:00:00Z');
  let state: AlertState | undefined;
  const out: Notification[] = [];
  const verdicts = recover ? ['fail', 'fail', 'pass', 'pass', 'pass'] : ['fail', 'fail'];
  verdicts.forEach((verdict, i) => {
    const run = makeRunSummary({
      ...overrides,
      runId: `run-${i}`,
      startedAt: new Date(t0 + i * 600_000).toISOString(),
      verdict: verdict as 'fail' | 'pass',
      ...(verdict === 'pass' ? { headline: undefined, findingCodes: [], category: undefined } : {}),
    });
    const step = nextAlertState(state, run, new Date(t0 + i * 600_000 + 30_000));
    state = step.state;
    out.push(...step.notifications);
  });
  return out;
}

const alertOf = (overrides: Partial<RunSummary>): Notification => notify(overrides)[0]!;

const texts = cardTexts;
const buttons = (env: TeamsEnvelope) => (env.attachments[0].content.actions ?? []).map((a) => a.title);

const CONFIG: Partial<RunSummary> = {
  category: 'configuration',
  problem: problemFor('auth', { settingValue: "the target's secretSetting AOAI_SWEDEN_KEY" }),
  verdict: 'error',
  findingCodes: ['connection_rejected'],
  headline: AZURE_401,
  failingTurns: 0,
  turns: 0,
  longestGapMs: 0,
  coverage: undefined,
  timeToFirstAudioMs: undefined,
  sessionId: undefined,
  comparison: 'aoai-sweden: 0 of 0 turns; baseline openai: 0 of 6 — the hosting layer is the likely cause',
};

describe('incident cards', () => {
  it('title the target, the region and what went wrong', () => {
    const n = alertOf({ target: 'azure-francecentral', longestGapMs: 2600, failingTurns: 2, turns: 3 });
    expect(texts(teamsCard(n))[0]).toBe('🔴 azure-francecentral @ swedencentral: 2.6 s silent gap in 2 of 3 turns');
    expect(texts(teamsCard(alertOf({ findingCodes: ['audio_truncated'], failingTurns: 1, turns: 1 })))[0]).toBe(
      '🔴 aoai-sweden @ swedencentral: audio cut short in 1 of 1 turn',
    );
    expect(texts(teamsCard(alertOf({ findingCodes: ['connection_dropped'] })))[0]).toBe(
      '🔴 aoai-sweden @ swedencentral: connection dropped',
    );
  });

  it('have buttons for the report, the dashboard and the evidence zip, and work with any of them missing', () => {
    const n = alertOf({});
    const full = teamsCard(n, LINKS);
    expect(full.attachments[0].content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open report', url: LINKS.reportUrl },
      { type: 'Action.OpenUrl', title: 'Dashboard', url: LINKS.dashboardUrl },
      { type: 'Action.OpenUrl', title: 'Download evidence', url: LINKS.evidenceUrl },
    ]);
    const noReport = teamsCard(n, { dashboardUrl: LINKS.dashboardUrl });
    expect(buttons(noReport)).toEqual(['Dashboard']);
    expect(texts(noReport)).toContain(`Report: ${n.summary.reportHtmlPath.replace(/_/g, '\\_')}`);
    expect(teamsCard(n).attachments[0].content.actions).toBeUndefined();
    for (const env of [full, noReport, teamsCard(n)])
      expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
  });

  it('recovery cards are green, link the report and offer no evidence zip', () => {
    const recovery = notify({}, true).find((n) => n.kind === 'recovery')!;
    const env = teamsCard(recovery, LINKS);
    expect(env.attachments[0].content.body[0]).toMatchObject({ style: 'good' });
    expect(buttons(env)).toEqual(['Open report', 'Dashboard']);
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
  });
});

describe('configuration cards', () => {
  it('say what to fix and the setting to fix it in, in their own colour, without a comparison or the hosting layer', () => {
    const n = alertOf(CONFIG);
    const env = teamsCard(n, LINKS);
    const t = texts(env);
    expect(t[0]).toBe(
      '⚙️ aoai-sweden @ swedencentral: the canary could not authenticate to canary-swe.openai.azure.com',
    );
    expect(t).toContain(
      "The key or token was refused: rotate the key in the app setting (or Key Vault secret) the target's " +
        "secretSetting names; with Entra ID, check the token's scope and the identity's role. Setting to fix: the " +
        "target's secretSetting AOAI_SWEDEN_KEY.",
    );
    expect(t).toContain("Setting to fix: the target's secretSetting AOAI_SWEDEN_KEY");
    expect(env.attachments[0].content.body[0]).toMatchObject({ type: 'Container', style: 'accent' });
    const all = t.join('\n');
    expect(all).not.toMatch(/hosting layer|Comparison|support/i);
    expect(all).not.toMatch(/Longest gap|Coverage|Time to first audio/);
    expect(all).toContain('Access denied due to invalid subscription key');
    expect(buttons(env)).toEqual(['Open report', 'Dashboard', 'Download evidence']);
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
    // The plain-text rendering (JSON payload) tells the same story.
    const p = jsonPayload(n, LINKS.reportUrl, LINKS);
    expect(p.title).toBe(t[0]);
    expect(p.text).not.toMatch(/hosting layer|support/i);
    expect(p.text).toContain("Setting to fix: the target's secretSetting AOAI_SWEDEN_KEY");
    expect(p).toMatchObject({
      category: 'configuration',
      summary: { category: 'configuration', problem: { kind: 'auth', setting: 'credential' } },
      dashboardUrl: LINKS.dashboardUrl,
      evidenceUrl: LINKS.evidenceUrl,
    });
  });

  it('are chosen by the notification category too, and say what to do for each kind of refusal', () => {
    const card = (problem: RunSummary['problem'], extra: Partial<Notification> = {}) => {
      const n: Notification = {
        ...alertOf({ ...CONFIG, category: undefined, problem }),
        category: 'configuration',
        ...extra,
      };
      const env = teamsCard(n);
      expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
      return texts(env);
    };
    const notFound = card(problemFor('not-found', { settingValue: 'the target\'s deployment "gpt-realtime"' }));
    expect(notFound[0]).toBe(
      '⚙️ aoai-sweden @ swedencentral: the canary could not find the deployment or model at canary-swe.openai.azure.com',
    );
    expect(notFound.join('\n')).toContain('Setting to fix: the target\'s deployment "gpt-realtime".');
    const suspended = card(problemFor('suspended'));
    expect(suspended[0]).toBe(
      '⚙️ aoai-sweden @ swedencentral: the resource behind canary-swe.openai.azure.com is suspended (“temporarily blocked”)',
    );
    expect(suspended.join('\n')).toContain('its owner must resolve it with Microsoft');
    expect(card(problemFor('network')).join('\n')).toContain("in the resource's Networking firewall rules");
    expect(card(problemFor('model-capability')).join('\n')).toContain(
      "point the target's deployment at a realtime model",
    );
    expect(card(problemFor('beta-retired')).join('\n')).toContain("set the target's flavour to openai-ga");
    // a summary from before runs were classified: still a configuration card, with the headline as what to fix
    const older = card(undefined);
    expect(older[0]).toBe(
      "⚙️ aoai-sweden @ swedencentral: the canary's configuration for canary-swe.openai.azure.com needs fixing",
    );
    expect(older.join('\n')).toContain(
      "Fix the target's configuration: The WebSocket upgrade was rejected with HTTP 401",
    );
  });
});

describe('capacity cards', () => {
  const CAPACITY: Partial<RunSummary> = {
    category: 'capacity',
    verdict: 'fail',
    findingCodes: ['rate_limited'],
    headline:
      'Turn 1: The response failed: rate limit reached — requests per day (RPD); the service asks to wait 1 min 26 s ' +
      '(requests/rate_limit_exceeded: “Rate limit reached for gpt-4o-mini-realtime in organization org-xx on ' +
      'requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 1m26.4s.”).',
    failingTurns: 1,
    turns: 1,
    comparison: 'aoai-sweden: 1 of 1 turns; baseline openai: 0 of 1 — the hosting layer is the likely cause',
    problem: problemFor('rate-limited', {
      what: `rate limited by ${HOST}: requests per day (RPD); retry after 1 min 26 s`,
      limit: 'RPD',
      retryAfterMs: 86_400,
    }),
  };

  it('open by the K-of-N rule like an incident (transient: not on the first failure) and recover the same way', () => {
    const all = notify(CAPACITY, true);
    expect(all.map((n) => [n.kind, n.summary.runId, n.category])).toEqual([
      ['alert', 'run-1', 'capacity'], // 2 of 2 failing, not run-0 alone
      ['recovery', 'run-4', undefined],
    ]);
  });

  it('say capacity/quota with the wait, in their own colour, with no support case, comparison or hosting layer', () => {
    const n = alertOf(CAPACITY);
    const env = teamsCard(n, LINKS);
    const t = texts(env);
    expect(t[0]).toBe(
      '⏳ aoai-sweden @ swedencentral: capacity/quota — rate limited by canary-swe.openai.azure.com: requests per day (RPD); retry after 1 min 26 s',
    );
    expect(t[2]).toBe('Capacity/quota, not an outage: retry, raise the quota or move region.');
    expect(t).toContain('Retry after: 1 min 26 s');
    expect(t).toContain('Verdict: fail (capacity: rate_limited)');
    expect(env.attachments[0].content.body[0]).toMatchObject({ type: 'Container', style: 'warning' });
    const all = t.join('\n');
    expect(all).not.toMatch(/support|hosting layer|Comparison|configuration/i);
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
    const p = jsonPayload(n, LINKS.reportUrl, LINKS);
    expect(p).toMatchObject({ category: 'capacity', title: t[0] });
    expect(p.text).not.toMatch(/support|hosting layer/i);
    // a reminder says "still"
    expect(texts(teamsCard({ ...n, kind: 'reminder' }))[0]).toMatch(/: still capacity\/quota — rate limited/);
  });
});

describe('budget cards', () => {
  it('are a simple card with the headline and a dashboard button', () => {
    const headline = '80 % of the daily budget reached: $8.02 of $10.00 on 2026-11-02.';
    const base = alertOf({
      target: 'budget',
      flavour: 'budget',
      host: '',
      deployment: undefined,
      group: undefined,
      headline,
      findingCodes: [],
      reportHtmlPath: 'index.html',
    });
    const n: Notification = { ...base, category: 'budget', target: 'budget' };
    const env = teamsCard(n, { reportUrl: LINKS.dashboardUrl, dashboardUrl: LINKS.dashboardUrl });
    const t = texts(env);
    expect(t[0]).toBe('💰 Budget @ swedencentral: 80 % of the daily budget reached');
    expect(t).toContain(headline.replace('$', '$'));
    expect(t.join('\n')).not.toMatch(/Failing turns|Coverage|hosting layer/);
    expect(buttons(env)).toEqual(['Open dashboard']);
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
  });
});

describe('service text in a card', () => {
  const hostile =
    'Error: see [the docs](http://evil.example/phish) **now** <at>oncall</at> _urgent_ ~~x~~ and ' +
    'https://evil.example/a or www.evil.example\n- item\n1. step\n# head\n> quote';

  it('is escaped so it shows as plain text: no link, emphasis, mention, list or auto-link', () => {
    const env = teamsCard(
      alertOf({ headline: hostile, sessionId: '**sess**', requestIds: { 'x-request-id': '[id](https://x.example)' } }),
      LINKS,
    );
    const all = texts(env).join('\n');
    expect(all).not.toMatch(/(?<!\\)\[the docs(?<!\\)\]\(/);
    expect(all).toContain('\\[the docs\\](http:\u200b//evil.example/phish)');
    expect(all).toContain('\\*\\*now\\*\\*');
    expect(all).toContain('\\<at\\>oncall\\</at\\>');
    expect(all).toContain('\\_urgent\\_');
    expect(all).toContain('\\~\\~x\\~\\~');
    expect(all).toContain('https:\u200b//evil.example/a');
    expect(all).toContain('www\u200b.evil.example');
    expect(all).toMatch(/\n\\- item\n1\\. step\n\\# head\n\\> quote/);
    expect(all).toContain('Session id: \\*\\*sess\\*\\*');
    expect(all).not.toMatch(/&lt;|&amp;|&#/);
    // What the reader sees once Teams removes the escapes is the text as the service sent it.
    const seen = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1').replace(/\u200b/g, '');
    expect(seen(cardPlain(hostile))).toBe(hostile);
    expect(seen(cardPlain('C:\\path\\*x and silent_gap 2.3 s'))).toBe('C:\\path\\*x and silent_gap 2.3 s');
    expect(cardPlain('silent_gap, playback_underrun, 2.3 s, apim-request-id')).toBe(
      'silent_gap, playback_underrun, 2.3 s, apim-request-id',
    );
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
  });
});

describe('cutting text', () => {
  it('cuts at a word boundary with …, and hard-cuts only a word longer than half the room', () => {
    expect(clipAtWord('Make sure to provide a valid key for an active subscription', 20)).toBe('Make sure to…');
    expect(clipAtWord('Make sure to provide', 20)).toBe('Make sure to provide');
    expect(clipAtWord('x'.repeat(30), 10)).toBe('xxxxxxxxx…');
    expect(Array.from(clipAtWord('🔥'.repeat(30), 10))).toHaveLength(10);
    const n = alertOf({ headline: `${'word '.repeat(1000)}end` });
    const lead = texts(teamsCard(n, { maxBytes: 6_000 })).find((s) => s.startsWith('word'))!;
    expect(lead.endsWith('word…')).toBe(true);
  });
});

describe('every kind of card', () => {
  it('is Adaptive Card 1.4, parses cleanly and stays within 20 KB with huge service text', () => {
    const huge = `${'[a](http://x.example) **b** '.repeat(3000)}`;
    const kinds: Notification[] = [
      ...notify({ headline: huge, comparison: huge }, true),
      alertOf({ ...CONFIG, headline: `HTTP 401 ${huge}`, host: huge.slice(0, 5000) }),
      { ...alertOf({ headline: huge, findingCodes: [] }), category: 'budget' },
    ];
    expect(new Set(kinds.map((n) => n.kind))).toEqual(new Set(['alert', 'recovery']));
    for (const n of kinds) {
      const env = teamsCard(n, LINKS);
      expect(envelopeBytes(env), n.id).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
      expect(parsedVersion(env.attachments[0].content)).toBe('1.4');
      expect(adaptiveCardProblems(env.attachments[0].content), n.id).toEqual([]);
      expect(texts(env).join('\n')).not.toMatch(/(?<!\\)\[a(?<!\\)\]\(/);
    }
  });

  it('the parser really reports mistakes (so a clean result means something)', () => {
    const env = teamsCard(alertOf({}), LINKS);
    const broken = JSON.parse(JSON.stringify(env.attachments[0].content));
    broken.body[0].style = 'shouting';
    broken.actions[0].url = undefined;
    expect(adaptiveCardProblems(broken).length).toBeGreaterThanOrEqual(2);
  });
});

describe('links', () => {
  it('are made for the report, the evidence zip next to it and the dashboard at the container root, each independently', async () => {
    const n = alertOf({});
    expect(linkPaths(n)).toEqual({
      report: n.summary.reportHtmlPath,
      evidence: n.summary.reportHtmlPath.replace(/report\.html$/, 'evidence.zip'),
      dashboard: 'index.html',
    });
    const asked: string[] = [];
    const store: LinkMaker = {
      readLink: async (path, ttl) => {
        asked.push(`${path}@${ttl}`);
        if (path.endsWith('evidence.zip')) throw new Error('no delegation rights');
        return `https://acct.blob.core.windows.net/reports/${path}?sig=x`;
      },
    };
    const links = await notificationLinks(n, store, 60);
    expect(links).toEqual({
      reportUrl: `https://acct.blob.core.windows.net/reports/${n.summary.reportHtmlPath}?sig=x`,
      dashboardUrl: 'https://acct.blob.core.windows.net/reports/index.html?sig=x',
    });
    expect(asked.sort()).toEqual(
      [`${linkPaths(n).evidence}@60`, `${n.summary.reportHtmlPath}@60`, 'index.html@60'].sort(),
    );
    const env = renderPayload('teams', n, links.reportUrl, undefined, links) as TeamsEnvelope;
    expect(buttons(env)).toEqual(['Open report', 'Dashboard']);
  });
});

describe('stable links through the reports site', () => {
  it('are used when the function app serves the reports (CANARY_REPORTS_HTTP=on), never the expiring store links', async () => {
    expect(reportsSiteUrl({ CANARY_REPORTS_HTTP: 'on', WEBSITE_HOSTNAME: 'canary-swe.azurewebsites.net' })).toBe(
      'https://canary-swe.azurewebsites.net',
    );
    expect(
      reportsSiteUrl({ CANARY_REPORTS_HTTP: 'off', WEBSITE_HOSTNAME: 'canary-swe.azurewebsites.net' }),
    ).toBeUndefined();
    expect(reportsSiteUrl({ CANARY_REPORTS_HTTP: 'on' })).toBeUndefined();
    expect(reportsSiteUrl({ CANARY_REPORTS_HTTP: 'on', WEBSITE_HOSTNAME: 'evil.example/x?' })).toBeUndefined();
    const n = alertOf({ reportHtmlPath: 'runs/2026/11/02/run 1/swedencentral/aoai-sweden/report.html' });
    let asked = 0;
    const store = {
      readLink: async () => {
        asked++;
        return 'https://acct.blob.core.windows.net/x?sig=EXPIRING';
      },
    } as unknown as ArtifactStore;
    const hook = await startWebhookReceiver();
    try {
      const r = await sendNotification(n, store, {
        webhookUrl: hook.url,
        format: 'teams',
        siteUrl: 'https://canary-swe.azurewebsites.net',
      });
      expect(r.delivered).toBe(true);
      const env = hook.requests[0]!.json<TeamsEnvelope>();
      expect(env.attachments[0].content.actions).toEqual([
        {
          type: 'Action.OpenUrl',
          title: 'Open report',
          url: 'https://canary-swe.azurewebsites.net/reports/runs/2026/11/02/run%201/swedencentral/aoai-sweden/report.html',
        },
        { type: 'Action.OpenUrl', title: 'Dashboard', url: 'https://canary-swe.azurewebsites.net/dashboard' },
        {
          type: 'Action.OpenUrl',
          title: 'Download evidence',
          url: 'https://canary-swe.azurewebsites.net/reports/runs/2026/11/02/run%201/swedencentral/aoai-sweden/evidence.zip',
        },
      ]);
      expect(asked).toBe(0);
      // Without the site, the store's links as before.
      await sendNotification(n, store, { webhookUrl: hook.url, format: 'teams' });
      expect(asked).toBe(3);
      expect(JSON.stringify(hook.requests[1]!.json())).toContain('sig=EXPIRING');
    } finally {
      await hook.close();
    }
  });
});
