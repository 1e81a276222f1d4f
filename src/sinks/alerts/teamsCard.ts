/**
 * The Teams message for a notification: an Adaptive Card 1.4 (what the Workflows "post card" path renders
 * reliably) in the envelope the "When a Teams webhook request is received" trigger accepts. Each kind looks like
 * itself: incidents red (reminders amber, recoveries green), configuration problems blue with what to fix and no
 * baseline comparison, budget notices amber, a model's retirement notice blue. All text is shown as plain text (./cardText.ts). Buttons open the
 * report, the dashboard and the evidence zip when the delivery side could link them.
 *
 * The serialized envelope is kept within {@link MAX_ENVELOPE_BYTES} (Teams rejects ~28 KB): long texts are cut at
 * word boundaries, then the optional facts and the comparison are dropped, then, as a last resort, everything but
 * the title and a pointer to the report — the minimal card, which always fits (and is posted again on its own
 * when a receiver with a smaller limit answers 413 Payload Too Large: ./notify.ts).
 */
import { cardCostFooter } from '../../cost/text.js';
import type { Notification } from './alertState.js';
import { cardPlain } from './cardText.js';
import {
  clipAtWord,
  comparisonText,
  CORE_FACTS,
  isTestNotification,
  leadText,
  notificationCategory,
  notificationFacts,
  notificationTitle,
  targetLine,
} from './notificationText.js';

/** Cap of the serialized envelope (Teams rejects ~28 KB; 20 KB leaves margin). */
export const MAX_ENVELOPE_BYTES = 20_000;
/** Attachment content type of an Adaptive Card. */
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The message envelope posted to the Workflows webhook. */
export interface TeamsEnvelope {
  type: 'message';
  attachments: [{ contentType: typeof CARD_CONTENT_TYPE; contentUrl: null; content: AdaptiveCard }];
}

type OpenUrl = { type: 'Action.OpenUrl'; title: string; url: string };

/** The Adaptive Card 1.4 this module produces. */
export interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: '1.4';
  msteams: { width: 'Full' };
  body: CardElement[];
  actions?: OpenUrl[];
}

type Style = 'attention' | 'warning' | 'good' | 'accent';
type Color = 'Attention' | 'Warning' | 'Good' | 'Accent';

/** The subset of Adaptive Card elements this card uses. */
export type CardElement =
  | { type: 'Container'; style: Style; bleed: boolean; items: CardElement[] }
  | {
      type: 'TextBlock';
      text: string;
      wrap: true;
      size?: 'Small' | 'Medium' | 'Large';
      weight?: 'Bolder';
      isSubtle?: boolean;
      color?: Color;
    }
  | { type: 'FactSet'; facts: Array<{ title: string; value: string }> };

/** Link and size options of {@link teamsCard}. */
export interface TeamsCardOptions {
  /** The report link (a read-only SAS URL, or the function app's stable URL). Without it the card names `reportLocation` instead. */
  reportUrl?: string;
  /** The fleet dashboard (`index.html` at the container root), when it could be linked. */
  dashboardUrl?: string;
  /** The evidence zip next to report.html (`evidence.zip`), when it could be linked. */
  evidenceUrl?: string;
  /** Where the report is when there is no link, e.g. `container canary, runs/2026/…/report.html`. Default: the summary's reportHtmlPath. */
  reportLocation?: string;
  /** Default {@link MAX_ENVELOPE_BYTES}. */
  maxBytes?: number;
  /** The last resort at once: title and report pointer (what is posted after a receiver answered 413). */
  minimal?: boolean;
}

interface Limits {
  title: number;
  text: number;
  fact: number;
  allFacts: boolean;
  comparison: boolean;
}

/** Progressively smaller renderings, tried in order until one fits. */
const LEVELS: Limits[] = [
  { title: 200, text: 2000, fact: 400, allFacts: true, comparison: true },
  { title: 160, text: 800, fact: 160, allFacts: true, comparison: true },
  { title: 120, text: 300, fact: 80, allFacts: true, comparison: true },
  { title: 100, text: 160, fact: 60, allFacts: false, comparison: false },
];

/** Container style and title colour of each look. */
const LOOK: Record<
  | 'alert'
  | 'reminder'
  | 'recovery'
  | 'configuration'
  | 'capacity'
  | 'budget'
  | 'watchdog'
  | 'poison'
  | 'mute'
  | 'lifecycle'
  | 'digest',
  { style: Style; color: Color }
> = {
  alert: { style: 'attention', color: 'Attention' },
  reminder: { style: 'warning', color: 'Warning' },
  recovery: { style: 'good', color: 'Good' },
  configuration: { style: 'accent', color: 'Accent' },
  capacity: { style: 'warning', color: 'Warning' },
  budget: { style: 'warning', color: 'Warning' },
  watchdog: { style: 'attention', color: 'Attention' },
  poison: { style: 'attention', color: 'Attention' },
  mute: { style: 'accent', color: 'Accent' },
  lifecycle: { style: 'accent', color: 'Accent' },
  digest: { style: 'warning', color: 'Warning' },
};

function lookOf(n: Notification): (typeof LOOK)[keyof typeof LOOK] {
  const category = notificationCategory(n);
  if (isTestNotification(n)) return LOOK.configuration;
  if (n.kind === 'recovery') return LOOK.recovery;
  return category === 'incident' ? LOOK[n.kind] : LOOK[category];
}

/** Builds the Teams envelope for a notification, never larger than `maxBytes` once JSON-serialized. */
export function teamsCard(n: Notification, options: TeamsCardOptions = {}): TeamsEnvelope {
  const maxBytes = options.maxBytes ?? MAX_ENVELOPE_BYTES;
  if (options.minimal) return minimal(n, options, maxBytes);
  for (const limits of LEVELS) {
    const envelope = render(n, options, limits);
    if (envelopeBytes(envelope) <= maxBytes) return envelope;
  }
  return minimal(n, options, maxBytes);
}

/** Size of the envelope as posted (UTF-8 JSON). */
export function envelopeBytes(envelope: TeamsEnvelope): number {
  return Buffer.byteLength(JSON.stringify(envelope), 'utf8');
}

/** A TextBlock of plain text, cut at `max` code points. */
function text(
  value: string,
  max: number,
  extra: Omit<Extract<CardElement, { type: 'TextBlock' }>, 'type' | 'text' | 'wrap'> = {},
): CardElement {
  return { type: 'TextBlock', text: cardPlain(clipAtWord(value, max)), wrap: true, ...extra };
}

function render(n: Notification, options: TeamsCardOptions, limits: Limits): TeamsEnvelope {
  const look = lookOf(n);
  const facts = notificationFacts(n)
    .filter((f) => limits.allFacts || CORE_FACTS.has(f.title))
    .map((f) => ({ title: cardPlain(f.title), value: cardPlain(clipAtWord(f.value, limits.fact)) }));
  const subtitle = targetLine(n.summary);
  const body: CardElement[] = [
    {
      type: 'Container',
      style: look.style,
      bleed: true,
      items: [
        text(notificationTitle(n), limits.title, { size: 'Large', weight: 'Bolder', color: look.color }),
        ...(subtitle ? [text(subtitle, limits.title, { size: 'Small', isSubtle: true })] : []),
      ],
    },
    text(leadText(n), limits.text),
  ];
  if (facts.length) body.push({ type: 'FactSet', facts });
  const comparison = comparisonText(n);
  if (limits.comparison && comparison) {
    body.push(text(comparison, limits.text));
  }
  const cost = cardCostFooter(n.summary);
  if (cost) body.push({ type: 'TextBlock', text: cost, wrap: true, size: 'Small', isSubtle: true });
  return envelopeOf(body, linkPart(n, options, limits, body));
}

/** The buttons the delivery side could link; the "where is the report" text when the report itself has no link. */
function linkPart(
  n: Notification,
  options: TeamsCardOptions,
  limits: Limits,
  body: CardElement[],
): OpenUrl[] | undefined {
  const category = notificationCategory(n);
  const actions: OpenUrl[] = [];
  // notices about no single run (budget, a silent region, the poison queue, a mute's end) point at the dashboard
  if (
    category === 'budget' ||
    category === 'watchdog' ||
    category === 'poison' ||
    category === 'mute' ||
    category === 'digest'
  ) {
    const dashboard = options.dashboardUrl ?? options.reportUrl;
    if (dashboard) actions.push({ type: 'Action.OpenUrl', title: 'Open dashboard', url: dashboard });
    else
      body.push(
        text(`Dashboard: ${options.reportLocation ?? n.summary.reportHtmlPath}`, limits.text, {
          size: 'Small',
          isSubtle: true,
        }),
      );
    return actions.length ? actions : undefined;
  }
  if (options.reportUrl) actions.push({ type: 'Action.OpenUrl', title: 'Open report', url: options.reportUrl });
  else
    body.push(
      text(`Report: ${options.reportLocation ?? n.summary.reportHtmlPath}`, limits.text, {
        size: 'Small',
        isSubtle: true,
      }),
    );
  if (options.dashboardUrl) actions.push({ type: 'Action.OpenUrl', title: 'Dashboard', url: options.dashboardUrl });
  // The evidence zip: a support request's attachments, or for a configuration problem the event log and what to fix.
  if (options.evidenceUrl && n.kind !== 'recovery')
    actions.push({ type: 'Action.OpenUrl', title: 'Download evidence', url: options.evidenceUrl });
  return actions.length ? actions : undefined;
}

/** Title and report pointer only; the report link is kept only if it fits. */
function minimal(n: Notification, options: TeamsCardOptions, maxBytes: number): TeamsEnvelope {
  const body: CardElement[] = [
    text(notificationTitle(n), 100, { size: 'Large', weight: 'Bolder', color: lookOf(n).color }),
    text(`Details did not fit in a Teams card. Report: ${n.summary.reportHtmlPath}`, 400),
  ];
  const withLink = options.reportUrl
    ? envelopeOf(body, [{ type: 'Action.OpenUrl', title: 'Open report', url: options.reportUrl }])
    : undefined;
  return withLink && envelopeBytes(withLink) <= maxBytes ? withLink : envelopeOf(body, undefined);
}

function envelopeOf(body: CardElement[], actions: OpenUrl[] | undefined): TeamsEnvelope {
  const content: AdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    body,
    ...(actions ? { actions } : {}),
  };
  return { type: 'message', attachments: [{ contentType: CARD_CONTENT_TYPE, contentUrl: null, content }] };
}
