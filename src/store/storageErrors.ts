/**
 * Classifying errors from @azure/storage-blob (RestError: `statusCode` for HTTP answers, `code` for the
 * service error code or a network error) so stores know what to retry and what is a precondition failure.
 */

interface ErrorFields {
  statusCode?: number;
  code?: string;
  name?: string;
}

function fields(error: unknown): ErrorFields {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : {};
}

/** HTTP status of a storage error, if the service answered. */
export function statusOf(error: unknown): number | undefined {
  const s = fields(error).statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** An error's message, or its HTTP status and service code when it has no message (a 403 to a HEAD request). */
export function storageErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  const { statusCode, code } = fields(error);
  return [error.name, statusCode && `HTTP ${statusCode}`, code].filter(Boolean).join(' ');
}

/** 404: blob or container missing. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** 412 (If-Match / If-None-Match failed) or 409 `BlobAlreadyExists` (If-None-Match: * on an existing blob). */
export function isPreconditionFailure(error: unknown): boolean {
  const s = statusOf(error);
  return s === 412 || (s === 409 && fields(error).code === 'BlobAlreadyExists');
}

/**
 * 401 or 403: the identity is not (yet) allowed — a role assignment takes minutes to propagate, so a write refused
 * this way is kept and tried again on a later round, never dropped.
 */
export function isAuthorizationFailure(error: unknown): boolean {
  const s = statusOf(error);
  return s === 401 || s === 403;
}

/**
 * Worth retrying: no answer at all (connection refused or reset, DNS, timeout, aborted try), 408, 429 and
 * 5xx. Authorization failures, 404 and precondition failures are not.
 */
export function isTransient(error: unknown): boolean {
  const s = statusOf(error);
  if (s === undefined) return !(error instanceof TypeError || error instanceof RangeError || error instanceof URIError);
  return s === 408 || s === 429 || s >= 500;
}
