/**
 * A 401 to an Entra ID token may be the token's scope, not the identity: Azure's troubleshooting guide (2026-09-20)
 * names `https://ai.azure.com/.default` for Azure OpenAI endpoints while the canary (and Azure's own WebRTC sample)
 * use `https://cognitiveservices.azure.com/.default` by default. The refusal then says which scope the token was
 * for (the trace records it, never the token) and which one to try; the alert card reads the same sentence back
 * with {@link scopesInText}. Pure.
 */
import { otherEntraScope } from '../realtime/auth.js';
import type { Trace } from '../trace/trace.js';

const USED = 'The Entra ID token was requested for scope ';
const TRY = ' and try again.';
const SENTENCE = /The Entra ID token was requested for scope (\S+); .*? to (\S+) and try again\./;

/** A sentence (with a leading space) for a refusal with HTTP `status`, or '' when it is not a 401 to an Entra token. */
export function entraScopeAdvice(trace: Trace, status: number): string {
  const auth = trace.meta.target.auth;
  if (status !== 401 || auth?.mode !== 'entra' || !auth.scope) return '';
  const other = otherEntraScope(auth.scope);
  return ` ${USED}${auth.scope}; if the identity and its role assignment are right, set the target's "scope" (CLI: --scope) to ${other}${TRY}`;
}

/** The scope used and the one to try, read back from a message that carries {@link entraScopeAdvice}'s sentence. */
export function scopesInText(text: string | undefined): { used: string; other: string } | undefined {
  const m = SENTENCE.exec(text ?? '');
  return m ? { used: m[1]!, other: m[2]! } : undefined;
}
