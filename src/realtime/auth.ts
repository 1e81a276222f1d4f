/**
 * Authentication for the WebSocket upgrade: Azure keys in `api-key`, OpenAI keys and Entra tokens as
 * `Authorization: Bearer`. Tokens come from an injected credential so tests never touch Entra.
 */
import type { TokenCredential } from '@azure/identity';
import type { Flavour } from './flavours.js';
import { isAzure } from './flavours.js';

export const DEFAULT_ENTRA_SCOPE = 'https://cognitiveservices.azure.com/.default';

export type AuthSpec =
  | { mode: 'none' }
  /** A key: `api-key` header on Azure flavours, `Authorization: Bearer` on OpenAI. */
  | { mode: 'api-key'; key: string }
  /** A bearer token given directly (e.g. an ephemeral key). */
  | { mode: 'bearer'; token: string }
  /** Microsoft Entra ID through @azure/identity. */
  | { mode: 'entra'; credential: TokenCredential; scope?: string };

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
