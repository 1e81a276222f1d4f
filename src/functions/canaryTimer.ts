/**
 * Registers the scheduled canary with the Functions host: the round on CANARY_SCHEDULE in round mode (the default);
 * in queue mode the planner's timer (./canaryPlanner.ts) runs instead. The handler lives in ../handlers (no
 * registration side effect there), so tests call it directly with an InvocationContext.
 */
import { app } from '@azure/functions';
import { DEFAULT_SCHEDULE, validateNcrontab } from '../config/settings.js';
import { canaryRound } from '../handlers/canaryRound.js';
import { envSecrets } from '../config/secrets.js';
import { scrub } from '../realtime/redact.js';
import { canaryMode, modeAtStart } from '../config/queueSettings.js';

// A mode or a schedule the host cannot run (or one that fires every second) is said loudly at start, naming the
// setting; the handler refuses it again at each invocation.
try {
  canaryMode(process.env);
  if (process.env.CANARY_SCHEDULE?.trim())
    validateNcrontab(process.env.CANARY_SCHEDULE.trim(), {
      allowEverySecond: /^(true|1)$/i.test(process.env.CANARY_ALLOW_EVERY_SECOND?.trim() ?? ''),
    });
} catch (err) {
  console.error(scrub(`realtime-canary: configuration error: ${(err as Error).message}`, envSecrets(process.env)));
}

if (modeAtStart(process.env) !== 'queue')
  app.timer('canaryRound', {
    // Six-field NCRONTAB in UTC from the CANARY_SCHEDULE app setting; every 10 minutes when it is not set.
    schedule: process.env.CANARY_SCHEDULE?.trim() ? '%CANARY_SCHEDULE%' : DEFAULT_SCHEDULE,
    runOnStartup: false,
    handler: canaryRound,
  });
