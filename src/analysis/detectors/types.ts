/**
 * The detector contract: a named pure function from a turn (or the whole run) to findings.
 */
import type { CloseEntry, Trace } from '../../trace/trace.js';
import type { OutputModality } from '../../realtime/events.js';
import type { DetectionConfig } from '../config.js';
import type { Finding, FindingCode } from '../findings.js';
import type { ConnectionMetrics, TurnMetrics } from '../metrics.js';
import type { TurnView } from '../turnView.js';

/** What a turn detector sees. */
export interface TurnContext {
  trace: Trace;
  view: TurnView;
  metrics: TurnMetrics;
  config: DetectionConfig;
  modality: OutputModality;
}

/** What a run detector sees. */
export interface RunContext {
  trace: Trace;
  views: readonly TurnView[];
  connection: ConnectionMetrics;
  close: CloseEntry | undefined;
  config: DetectionConfig;
}

export interface TurnDetector {
  /** The finding code(s) this detector may emit. */
  name: FindingCode;
  detect(ctx: TurnContext): Finding[];
}

export interface RunDetector {
  name: FindingCode;
  /** Findings are run-level (`turn: null`) unless they belong to the turn that was in progress. */
  detect(ctx: RunContext): Finding[];
}
