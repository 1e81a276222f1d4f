/**
 * Registers the read-only reports site: `/dashboard` and `/reports/{path}` stream from the reports container
 * (host.json sets an empty route prefix, so these are the URLs alerts link to). Anonymous at the Functions level
 * on purpose: App Service Authentication (Entra ID) in front of the app decides who gets in, and the handler
 * refuses to serve unless CANARY_REPORTS_HTTP=on. The handler lives in ../handlers (no side effect there).
 */
import { app } from '@azure/functions';
import { reportsHttp } from '../handlers/reportsHttp.js';

app.http('dashboard', { route: 'dashboard', methods: ['GET', 'HEAD'], authLevel: 'anonymous', handler: reportsHttp });
app.http('reports', {
  route: 'reports/{*path}',
  methods: ['GET', 'HEAD'],
  authLevel: 'anonymous',
  handler: reportsHttp,
});
