/** Cost and confirmation in words, for the Teams card footer and log lines. */
import { formatUsd } from './usd.js';
import type { RunSummary } from '../runSummary.js';

/** "Run cost $0.1123 (2 probes: intermittent)" — or undefined when there is nothing to say. */
export function cardCostFooter(s: RunSummary): string | undefined {
  const parts: string[] = [];
  if (s.costUsd !== undefined) parts.push(`Run cost ${formatUsd(s.costUsd)}${s.model ? ` (${s.model})` : ''}`);
  else if (s.model) parts.push(`Run cost: no price for ${s.model}`);
  if (s.attempts && s.attempts > 1)
    parts.push(
      `${s.attempts} probes${s.intermittent ? ', the confirmation passed (intermittent)' : ', failure confirmed'}`,
    );
  return parts.length ? parts.join(' · ') : undefined;
}
