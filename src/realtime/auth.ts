/**
 * Authentication for the WebSocket upgrade: Azure keys in `api-key`, OpenAI keys and Entra tokens as
 * `Authorization: Bearer`. Tokens come from an injected credential so tests never touch Entra.
 */
import type { TokenCredential } from '@azure/identity';
import type { Flavour } from './flavours.js';
import { isAzure } from './flavours.js';

/** The Entra ID token scope by default: the one Azure's WebRTC sample (2026-01) uses, still accepted. */
export const DEFAULT_ENTRA_SCOPE = 'https://cognitiveservices.azure.com/.default';
/** The scope Azure's "Troubleshoot common HTTP errors" guide (2026-09-20) names for Azure OpenAI endpoints. */
export const FOUNDRY_ENTRA_SCOPE = 'https://ai.azure.com/.default';

/** The documented scope to try when a token for `scope` was refused: the other of the two. */
export function otherEntraScope(scope: string): string {
  return scope === DEFAULT_ENTRA_SCOPE ? FOUNDRY_ENTRA_SCOPE : DEFAULT_ENTRA_SCOPE;
}

export type AuthSpec =
  | { mode: 'none' }
  /** A key: `api-key` header on Azure flavours, `Authorization: Bearer` on OpenAI. */
  | { mode: 'api-key'; key: string }
  /** A bearer token given directly (e.g. an ephemeral key). */
  | { mode: 'bearer'; token: string }
  /** Microsoft Entra ID through @azure/identity. */
  | { mode: 'entra'; credential: TokenCredential; scope?: string };

/** How a session authenticated, as the trace records it: the mode and, for Entra ID, the token scope — never a secret. */
export interface AuthRecord {
  mode: AuthSpec['mode'];
  scope?: string;
}

export function authRecord(auth: AuthSpec): AuthRecord {
  return auth.mode === 'entra' ? { mode: 'entra', scope: auth.scope ?? DEFAULT_ENTRA_SCOPE } : { mode: auth.mode };
}

/** Headers that authenticate the upgrade request. */
export async function authHeaders(auth: AuthSpec, flavour: Flavour): Promise<Record<string, string>> {
  switch (auth.mode) {
    case 'none':
      return {};
    case 'api-key':
      return isAzure(flavour) ? { 'api-key': auth.key } : { Authorization: `Bearer ${auth.key}` };
    case 'bearer':
      return { Authorization: `Bearer ${auth.token}` };
    case 'entra': {
      const token = await auth.credential.getToken(auth.scope ?? DEFAULT_ENTRA_SCOPE);
      if (!token) throw new Error(`Entra ID returned no token for scope ${auth.scope ?? DEFAULT_ENTRA_SCOPE}`);
      return { Authorization: `Bearer ${token.token}` };
    }
  }
}

/** The secret values an auth spec carries, so writers can scrub them from anything they persist. */
export function authSecrets(auth: AuthSpec): string[] {
  if (auth.mode === 'api-key') return [auth.key];
  if (auth.mode === 'bearer') return [auth.token];
  return [];
}
