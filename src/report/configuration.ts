/**
 * Whether a run is a configuration problem of the canary (it could not authenticate, or is misconfigured) rather
 * than a service incident, and what to fix. A configuration-kind report says so in its header and carries no support
 * case summary: there is nothing to send to Azure. Pure, from the report.
 */
import type { Report } from '../analysis/report.js';
import { isAzure } from '../realtime/flavours.js';

export interface ConfigurationProblem {
  /** One sentence: what the canary could not do. */
  what: string;
  /** What to fix, for the operator. */
  fix: string;
}

const REFUSAL_CODES =
  /\b(invalid_api_key|invalid_model|missing_model|model_not_found|beta_api_shape_disabled|unauthorized|forbidden)\b/;

/** The configuration problem of a run, or undefined when the run is not one (passed, or a service incident). */
export function configurationProblem(report: Report): ConfigurationProblem | undefined {
  const category = 'category' in report.summary ? report.summary.category : undefined;
  const rejected = report.findings.find((f) => f.code === 'connection_rejected');
  const status = report.connection.upgradeStatus;
  const serviceSide = status !== null && (status === 429 || status >= 500);
  const timedOut = rejected !== undefined && /no upgrade response within/.test(rejected.message);
  if (category !== 'configuration' && (!rejected || serviceSide || timedOut)) return undefined;
  const host = report.target.host;
  const message = rejected?.message ?? report.summary.headline ?? '';
  const code = REFUSAL_CODES.exec(message)?.[1];
  const azure = isAzure(report.target.flavour);
  const what = (x: string): string => `The canary could not ${x} ${host}.`;
  if (status === 401 || code === 'invalid_api_key' || code === 'unauthorized') {
    return {
      what: what('authenticate to'),
      fix: azure
        ? 'The key or token was refused (HTTP 401). Rotate the key in the Key Vault secret (or app setting) the ' +
          'target names, or, with Entra auth, check that the identity has a token for ' +
          'https://cognitiveservices.azure.com and the "Cognitive Services OpenAI User" role.'
        : 'The API key was refused. Put a valid OpenAI key in the secret (or app setting) the target names.',
    };
  }
  if (status === 403 || code === 'forbidden') {
    return {
      what: what('get access to'),
      fix:
        'The credential was accepted but not allowed (HTTP 403): assign the identity the "Cognitive Services ' +
        'OpenAI User" role on the resource, or allow the canary through the resource\'s network rules.',
    };
  }
  if (status === 404 || code === 'invalid_model' || code === 'missing_model' || code === 'model_not_found') {
    return {
      what: what('find the deployment or model at'),
      fix:
        `Check the target's deployment / model ` +
        `name${report.target.deployment ? ` (“${report.target.deployment}”)` : ''}, the endpoint path and the api-version.`,
    };
  }
  if (code === 'beta_api_shape_disabled') {
    return {
      what: what('use the beta interface of'),
      fix: "OpenAI turned off the beta Realtime interface in May 2026: set the target's flavour to openai-ga.",
    };
  }
  return {
    what: what('connect to'),
    fix: `${message ? `${message} ` : ''}Check the target's endpoint, credential and settings.`.trim(),
  };
}
