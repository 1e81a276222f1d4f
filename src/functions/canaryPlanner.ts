/**
 * Registers queue mode's planner (CANARY_MODE=queue): a timer every minute, at second 0 (`PLANNER_SCHEDULE`), in
 * place of the round's timer (./canaryTimer.ts registers the round only in round mode). CANARY_SCHEDULE keeps its
 * meaning in queue mode: the interval of every target without an `every` of its own. The handler lives in
 * ../handlers (no registration side effect there).
 */
import { app } from '@azure/functions';
import { modeAtStart, PLANNER_SCHEDULE } from '../config/queueSettings.js';
import { canaryPlanner } from '../handlers/canaryPlanner.js';

if (modeAtStart(process.env) === 'queue')
  app.timer('canaryPlanner', { schedule: PLANNER_SCHEDULE, runOnStartup: false, handler: canaryPlanner });
