/**
 * The Adaptive Cards parser of the `adaptivecards` npm package (the SDK Teams' web client builds on), run in Node:
 * its UMD bundle parses and validates without a DOM (only rendering needs one), so no DOM shim is loaded. Returns
 * every parse and validation event (errors and warnings) for a card, as readable strings; [] means clean. Also the
 * texts of a card.
 */
import { createRequire } from 'node:module';
import type { CardElement, TeamsEnvelope } from '../../src/sinks/alerts/teamsCard.js';

interface AcEvent {
  phase: number;
  event: number;
  message: string;
}
interface AcContext {
  eventCount: number;
  getEventAt(i: number): AcEvent;
}
interface AcCard {
  parse(json: unknown, context: AcContext): void;
  validateProperties(): { validationEvents: AcEvent[] };
  version: { major: number; minor: number } | undefined;
}
interface AcModule {
  AdaptiveCard: new () => AcCard;
  SerializationContext: new () => AcContext;
  ValidationEvent: Record<number, string>;
}

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AcModule;

export function adaptiveCardProblems(content: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(content, context);
  const events: AcEvent[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...card.validateProperties().validationEvents);
  return events.map((e) => `${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
}

/** The card version the parser read (e.g. "1.4"). */
export function parsedVersion(content: unknown): string | undefined {
  const card = new AC.AdaptiveCard();
  card.parse(content, new AC.SerializationContext());
  return card.version ? `${card.version.major}.${card.version.minor}` : undefined;
}

/** Every text of a Teams card, in order (fact sets as `title: value`). */
export function cardTexts(envelope: TeamsEnvelope): string[] {
  const walk = (els: CardElement[]): string[] =>
    els.flatMap((e) =>
      e.type === 'TextBlock'
        ? [e.text]
        : e.type === 'Container'
          ? walk(e.items)
          : e.facts.map((f) => `${f.title}: ${f.value}`),
    );
  return walk(envelope.attachments[0].content.body);
}
