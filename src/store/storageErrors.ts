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
 * Worth retrying: no answer at all (connection refused or reset, DNS, timeout, aborted try), 408, 429 and
 * 5xx. Authorization failures, 404 and precondition failures are not.
 */
export function isTransient(error: unknown): boolean {
  const s = statusOf(error);
  if (s === undefined) return !(error instanceof TypeError || error instanceof RangeError);
  return s === 408 || s === 429 || s >= 500;
}
