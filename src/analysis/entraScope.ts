/**
 * A 401 to an Entra ID token may be the token's scope, not the identity: Azure's troubleshooting guide (2026-09-20)
 * names `https://ai.azure.com/.default` for Azure OpenAI endpoints while the canary (and Azure's own WebRTC sample)
 * use `https://cognitiveservices.azure.com/.default` by default. The refusal then says which scope the token was
 * for (the trace records it, never the token) and which one to try, in the finding and in the run's problem (the
 * advice every surface prints). Pure.
 */
import { otherEntraScope } from '../realtime/auth.js';
import type { Trace } from '../trace/trace.js';
import type { RunProblem } from './problems.js';

/** The scope sentence of a session that sent an Entra token, or undefined when it sent none. */
function scopeSentence(trace: Trace): string | undefined {
  const auth = trace.meta.target.auth;
  if (auth?.mode !== 'entra' || !auth.scope) return undefined;
  return (
    `The Entra ID token was requested for scope ${auth.scope}; if the identity and its role assignment are right, ` +
    `set the target's "scope" (CLI: --scope) to ${otherEntraScope(auth.scope)}, the other documented scope, and try again.`
  );
}

/** The sentence (with a leading space) for a refusal with HTTP `status`: '' unless it is a 401 to an Entra token. */
export function entraScopeAdvice(trace: Trace, status: number): string {
  const sentence = status === 401 ? scopeSentence(trace) : undefined;
  return sentence ? ` ${sentence}` : '';
}

/**
 * An `auth` or `role` problem (a 401 either way) of a session that sent an Entra token, with the scope the token was
 * requested for and the one to try: a token for the wrong audience is refused like an identity without the role.
 */
export function withEntraScope(problem: RunProblem, trace: Trace): RunProblem {
  const sentence = problem.kind === 'auth' || problem.kind === 'role' ? scopeSentence(trace) : undefined;
  return sentence ? { ...problem, advice: [problem.advice, sentence].filter(Boolean).join(' ') } : problem;
}
