/**
 * The Teams message for a notification: an Adaptive Card 1.4 (what the Workflows "post card" path renders
 * reliably) in the envelope the "When a Teams webhook request is received" trigger accepts. The serialized
 * envelope is kept within {@link MAX_ENVELOPE_BYTES} (Teams rejects ~28 KB): long texts are cut, then the
 * optional facts and the comparison are dropped, then, as a last resort, everything but the title and a
 * pointer to the report.
 */
import { cardCostFooter } from '../cost/text.js';
import type { Notification } from './alertState.js';
import { clip, CORE_FACTS, leadText, notificationFacts, notificationTitle, targetLine } from './notificationText.js';

/** Cap of the serialized envelope (Teams rejects ~28 KB; 20 KB leaves margin). */
export const MAX_ENVELOPE_BYTES = 20_000;
/** Attachment content type of an Adaptive Card. */
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The message envelope posted to the Workflows webhook. */
export interface TeamsEnvelope {
  type: 'message';
  attachments: [{ contentType: typeof CARD_CONTENT_TYPE; contentUrl: null; content: AdaptiveCard }];
}

/** The Adaptive Card 1.4 this module produces. */
export interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: '1.4';
  msteams: { width: 'Full' };
  body: CardElement[];
  actions?: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
}

/** The subset of Adaptive Card elements this card uses. */
export type CardElement =
  | { type: 'Container'; style: 'attention' | 'warning' | 'good'; bleed: boolean; items: CardElement[] }
  | { type: 'TextBlock'; text: string; wrap: true; size?: 'Small' | 'Medium' | 'Large'; weight?: 'Bolder'; isSubtle?: boolean; color?: 'Attention' | 'Warning' | 'Good' }
  | { type: 'FactSet'; facts: Array<{ title: string; value: string }> };

/** Link and size options of {@link teamsCard}. */
export interface TeamsCardOptions {
  /** The short-lived report link (a read-only SAS URL). Without it the card names `reportLocation` instead. */
  reportUrl?: string;
  /** Where the report is when there is no link, e.g. `container canary, runs/2026/…/report.html`. Default: the summary's reportHtmlPath. */
  reportLocation?: string;
  /** Default {@link MAX_ENVELOPE_BYTES}. */
  maxBytes?: number;
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

const STYLE = { alert: 'attention', reminder: 'warning', recovery: 'good' } as const;
const COLOR = { alert: 'Attention', reminder: 'Warning', recovery: 'Good' } as const;

/** Builds the Teams envelope for a notification, never larger than `maxBytes` once JSON-serialized. */
export function teamsCard(n: Notification, options: TeamsCardOptions = {}): TeamsEnvelope {
  const maxBytes = options.maxBytes ?? MAX_ENVELOPE_BYTES;
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

function render(n: Notification, options: TeamsCardOptions, limits: Limits): TeamsEnvelope {
  const facts = notificationFacts(n)
    .filter((f) => limits.allFacts || CORE_FACTS.has(f.title))
    .map((f) => ({ title: f.title, value: clip(f.value, limits.fact) }));
  const body: CardElement[] = [
    {
      type: 'Container',
      style: STYLE[n.kind],
      bleed: true,
      items: [
        { type: 'TextBlock', text: clip(notificationTitle(n), limits.title), wrap: true, size: 'Large', weight: 'Bolder', color: COLOR[n.kind] },
        { type: 'TextBlock', text: clip(targetLine(n.summary), limits.title), wrap: true, size: 'Small', isSubtle: true },
      ],
    },
    { type: 'TextBlock', text: clip(leadText(n), limits.text), wrap: true },
    { type: 'FactSet', facts },
  ];
  if (limits.comparison && n.summary.comparison) {
    body.push({ type: 'TextBlock', text: clip(`Comparison: ${n.summary.comparison}`, limits.text), wrap: true });
  }
  const cost = cardCostFooter(n.summary);
  if (cost) body.push({ type: 'TextBlock', text: cost, wrap: true, size: 'Small', isSubtle: true });
  return envelopeOf(body, reportPart(n, options, limits, body));
}

/** Adds the "where is the report" text when there is no link; returns the actions. */
function reportPart(n: Notification, options: TeamsCardOptions, limits: Limits, body: CardElement[]): AdaptiveCard['actions'] {
  if (options.reportUrl) return [{ type: 'Action.OpenUrl', title: 'Open report', url: options.reportUrl }];
  const where = options.reportLocation ?? n.summary.reportHtmlPath;
  body.push({ type: 'TextBlock', text: clip(`Report: ${where}`, limits.text), wrap: true, size: 'Small', isSubtle: true });
  return undefined;
}

/** Title and report pointer only; the link is kept only if it fits. */
function minimal(n: Notification, options: TeamsCardOptions, maxBytes: number): TeamsEnvelope {
  const body: CardElement[] = [
    { type: 'TextBlock', text: clip(notificationTitle(n), 100), wrap: true, size: 'Large', weight: 'Bolder', color: COLOR[n.kind] },
    { type: 'TextBlock', text: clip(`Details did not fit in a Teams card. Report: ${n.summary.reportHtmlPath}`, 400), wrap: true },
  ];
  const withLink = options.reportUrl ? envelopeOf(body, [{ type: 'Action.OpenUrl', title: 'Open report', url: options.reportUrl }]) : undefined;
  return withLink && envelopeBytes(withLink) <= maxBytes ? withLink : envelopeOf(body, undefined);
}

function envelopeOf(body: CardElement[], actions: AdaptiveCard['actions']): TeamsEnvelope {
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
