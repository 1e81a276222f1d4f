/**
 * A fake Entra ID credential for tests: unsigned JWTs with the claims Azurite's `--oauth basic` checks
 * (issuer `https://sts.windows.net/<tid>/`, audience, nbf/exp) plus `oid`/`tid` (which Azurite uses to derive
 * user-delegation keys). It records the scopes asked for. Never valid against real Entra.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';

export interface FakeCredential extends TokenCredential {
  scopes: string[];
}

export function fakeEntraCredential(claims: { oid?: string; tid?: string; aud?: string } = {}): FakeCredential {
  const tid = claims.tid ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      const list = Array.isArray(scope) ? scope : [scope];
      scopes.push(...list);
      const now = Math.floor(Date.now() / 1000);
      const aud = claims.aud ?? (list[0] ?? 'https://storage.azure.com/.default').replace(/\/\.default$/, '');
      const payload = {
        aud,
        iss: `https://sts.windows.net/${tid}/`,
        iat: now - 60,
        nbf: now - 60,
        exp: now + 3600,
        oid: claims.oid ?? '11111111-2222-3333-4444-555555555555',
        tid,
      };
      const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      return {
        token: `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.${Buffer.from('not-signed').toString('base64url')}`,
        expiresOnTimestamp: (now + 3600) * 1000,
      };
    },
  };
}
