/**
 * Registers the scheduled canary with the Functions host. The handler lives in ../handlers (no registration
 * side effect there), so tests call it directly with an InvocationContext.
 */
import { app } from '@azure/functions';
import { DEFAULT_SCHEDULE } from '../config/settings.js';
import { canaryRound } from '../handlers/canaryRound.js';

app.timer('canaryRound', {
  // Six-field NCRONTAB in UTC from the CANARY_SCHEDULE app setting; every 10 minutes when it is not set.
  schedule: process.env.CANARY_SCHEDULE?.trim() ? '%CANARY_SCHEDULE%' : DEFAULT_SCHEDULE,
  runOnStartup: false,
  handler: canaryRound,
});
