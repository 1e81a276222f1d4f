/**
 * The detector registry: every turn detector and every run detector, in report order.
 */
import { noAudio, silentGap } from './audioContent.js';
import { setupThrottled, throttling } from './capacity.js';
import { audioFormatMismatch, repeatedAudio } from './audioIntegrity.js';
import { connectionDropped, connectionRejected, sessionSetupStall, setupErrors } from './connection.js';
import { expectedContentMissing } from './content.js';
import { deliveryStall, playbackUnderrun, slowFirstAudio } from './deliveryTiming.js';
import { serverErrorEvent } from './serverErrors.js';
import { missingAudioDone, missingResponseDone, responseNotCompleted } from './terminalEvents.js';
import { probeStall } from './probeStall.js';
import { sessionMaxDuration } from './sessionCap.js';
import { longReasoning, preambleOnly, secondGenerationSilent } from './reasoning.js';
import { silentTail } from './silentTail.js';
import { implausibleUsage, sessionLimitExceeded } from './traceIntegrity.js';
import { audioTruncated } from './truncation.js';
import type { RunDetector, TurnDetector } from './types.js';

export type { RunContext, RunDetector, TurnContext, TurnDetector } from './types.js';

export const TURN_DETECTORS: readonly TurnDetector[] = [
  throttling,
  serverErrorEvent,
  missingResponseDone,
  responseNotCompleted,
  noAudio,
  preambleOnly,
  secondGenerationSilent,
  audioFormatMismatch,
  missingAudioDone,
  audioTruncated,
  repeatedAudio,
  silentGap,
  deliveryStall,
  playbackUnderrun,
  slowFirstAudio,
  longReasoning,
  expectedContentMissing,
  silentTail,
  probeStall,
  implausibleUsage,
];

export const RUN_DETECTORS: readonly RunDetector[] = [
  connectionRejected,
  setupThrottled,
  connectionDropped,
  sessionMaxDuration,
  sessionSetupStall,
  setupErrors,
  sessionLimitExceeded,
];
