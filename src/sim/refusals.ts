/**
 * How each provider words a refused connection: Azure's HTTP refusals (status, JSON body, retry headers) and
 * OpenAI's `error` + close after the 101 (LLMGW capture 2026-09-18). upgrade.ts decides when; this file says what.
 *
 * Sources of the 2026 shapes:
 * - Azure 429: `retry-after-ms` ("Follow the retry-after-ms header when present", Learn "Troubleshoot common HTTP
 *   errors", 2026-09-20) beside `retry-after`.
 * - Azure 403: a network rule ("Access denied due to Virtual Network/Firewall rules.") or a suspended resource
 *   ("Error message contains 'resource has been temporarily blocked'", same page; wording as captured in public
 *   projects' logs).
 * - Azure 400 `OpperationNotSupported` (Azure's spelling) for a deployment that cannot do realtime (MS Q&A
 *   12820829, 2026-06-10: "The realtime operation does not work with the specified model…", with `apim-request-id`
 *   and `x-ms-region`, which upgrade-headers.ts adds to every Azure answer).
 * - A retired model: OpenAI `model_not_found`, "The model `…` has been deprecated, learn more here:
 *   https://platform.openai.com/docs/deprecations" (the service's wording for shut-down models), after the 101 with
 *   close 4000 as `invalid_model`; Azure answers a deployment of a retired model version with HTTP 404 "Resource not
 *   found" (BerriAI/litellm#11116, the one report found; what Azure says on the realtime path is unconfirmed).
 */
import { STATUS_CODES } from 'node:http';
import type { ForbiddenReason, OpenAIRefusal } from './scenario.js';

/** OpenAI's refusal after the 101: the `error` body, then a close frame. */
export interface AfterUpgradeRefusal {
  error: { type: 'invalid_request_error'; code: string | null; message: string; param: null; event_id: null };
  closeCode: 3000 | 4000;
  closeReason: string;
}

/** An HTTP refusal's status and body (headers come from `refusalHeaders`). */
export interface HttpRefusal {
  status: number;
  body: unknown;
}

const AZURE_401 =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an ' +
  'active subscription and use a correct regional API endpoint for your resource.';
const AZURE_DEPLOYMENT_NOT_FOUND =
  'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.';
const AZURE_SUSPENDED =
  'Your resource has been temporarily blocked because we detected behavior that may violate our content policy. ' +
  'For more details on Azure OpenAI service content policy, please visit https://aka.ms/aoaicodeofconduct';
/** The 429 answers' wait, seconds (Azure's message says "Please retry after 10 seconds"). */
const RETRY_AFTER_S = 10;

/** The 401 answer on Azure paths (also the simulator's api-version refusal, with a note). */
export const AZURE_401_MESSAGE = AZURE_401;

/** The service's usual error body for a status, in the style of each provider. */
export function defaultRefusalBody(status: number, azure: boolean, reason?: ForbiddenReason, model = ''): unknown {
  if (azure) {
    if (status === 403 && reason === 'suspended') return { error: { code: 'Forbidden', message: AZURE_SUSPENDED } };
    if (status === 400) return operationNotSupported(model);
    const message: Record<number, string> = {
      401: AZURE_401,
      403: 'Access denied due to Virtual Network/Firewall rules.',
      404: 'Resource not found',
      429: `Requests to the Realtime API have exceeded the rate limit of your current pricing tier. Please retry after ${RETRY_AFTER_S} seconds.`,
      503: 'The service is temporarily unable to process your request. Please try again later.',
    };
    return { error: { code: String(status), message: message[status] ?? STATUS_CODES[status] ?? 'Error' } };
  }
  const errors: Record<number, { message: string; type: string; code: string | null }> = {
    401: {
      message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    },
    403: { message: 'You are not allowed to access this resource.', type: 'invalid_request_error', code: 'forbidden' },
    404: { message: 'Not found.', type: 'invalid_request_error', code: null },
    429: {
      message: `Rate limit reached for requests. Please try again in ${RETRY_AFTER_S}s.`,
      type: 'requests',
      code: 'rate_limit_exceeded',
    },
    503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
  };
  const e = errors[status] ?? { message: STATUS_CODES[status] ?? 'Error', type: 'invalid_request_error', code: null };
  return { error: { ...e, param: null } };
}

/** Headers a refusal carries by status: a 429 says when to retry (Azure: in ms too). */
export function refusalHeaders(status: number, azure: boolean): Record<string, string> {
  if (status !== 429) return {};
  return azure
    ? { 'retry-after-ms': String(RETRY_AFTER_S * 1000), 'retry-after': String(RETRY_AFTER_S) }
    : { 'retry-after': String(RETRY_AFTER_S) };
}

/** Azure's 400 for a deployment whose model cannot do realtime (the code's misspelling is Azure's). */
function operationNotSupported(model: string): unknown {
  return {
    error: {
      code: 'OpperationNotSupported',
      message:
        `The realtime operation does not work with the specified model, ${model.slice(0, 100)}. Please choose ` +
        'different model and try again. You can learn more about which models can be used with each operation ' +
        'here: https://go.microsoft.com/fwlink/?linkid=2197993.',
    },
  };
}

/** OpenAI's `error` + close for a problem found after the 101, worded as captured (LLMGW probes 7c, 8b, 10–11b). */
export function openaiRefusal(kind: OpenAIRefusal, model: string): AfterUpgradeRefusal {
  const make = (code: string | null, message: string, closeCode: 3000 | 4000): AfterUpgradeRefusal => ({
    error: { type: 'invalid_request_error', code, message, param: null, event_id: null },
    closeCode,
    closeReason: code ? `invalid_request_error.${code}` : 'invalid_request_error',
  });
  const name = model.slice(0, 100);
  switch (kind) {
    case 'invalid_api_key':
      // The service quotes a masked key; the simulator quotes none of it (keys never reach a trace).
      return make(
        'invalid_api_key',
        'Incorrect API key provided: sk-***…***. You can find your API key at https://platform.openai.com/account/api-keys.',
        3000,
      );
    case 'missing_key':
      return make(null, 'Missing bearer or basic authentication in header', 3000);
    case 'invalid_model':
    case 'model_cannot_realtime':
      return make('invalid_model', `Model "${name}" is not supported in realtime mode.`, 4000);
    case 'missing_model':
      return make(
        'missing_model',
        'You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime-1.5',
        4000,
      );
    case 'beta_api_shape_disabled':
      return make(
        'beta_api_shape_disabled',
        'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
        4000,
      );
    case 'model_not_found':
      return make(
        'model_not_found',
        `The model \`${name}\` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations`,
        4000,
      );
  }
}

/** Azure's HTTP refusal for the same problem (beta is not an Azure problem: undefined). */
export function azureRefusal(kind: OpenAIRefusal, model: string): HttpRefusal | undefined {
  switch (kind) {
    case 'invalid_api_key':
    case 'missing_key':
      return { status: 401, body: defaultRefusalBody(401, true) };
    case 'invalid_model':
    case 'missing_model':
      return { status: 404, body: { error: { code: 'DeploymentNotFound', message: AZURE_DEPLOYMENT_NOT_FOUND } } };
    case 'model_not_found':
      return { status: 404, body: defaultRefusalBody(404, true) };
    case 'model_cannot_realtime':
      return { status: 400, body: operationNotSupported(model) };
    case 'beta_api_shape_disabled':
      return undefined;
  }
}
