/**
 * Read-only report links for an Entra-authenticated blob store: a user-delegation SAS (signed with a key the
 * service derives from the caller's Entra identity, never the account key) with permission `r` only. The
 * delegation key is cached and reused while it outlives the link being made.
 *
 * Scope: a blob SAS authorizes one blob, so report.html opened through it cannot play the turn WAVs stored
 * next to it (the page passes its query string on to them). The default `container` scope signs the same
 * read-only, short-lived SAS for the container, so the report's audio plays; `blob` is the stricter choice
 * for teams that accept a report without playable audio (the page then says why).
 */
import {
  BlobSASPermissions,
  ContainerSASPermissions,
  SASProtocol,
  generateBlobSASQueryParameters,
  type BlobServiceClient,
  type UserDelegationKey,
} from '@azure/storage-blob';

/** A user-delegation key (and so any SAS signed with it) lives at most 7 days. */
export const MAX_LINK_MINUTES = 7 * 24 * 60 - 15;
/** Keys are requested for at least this long, so one key serves many links. */
const KEY_MINUTES = 24 * 60;
/** Start times are back-dated to tolerate clock skew between us and the service. */
const SKEW_MS = 5 * 60_000;

/** Makes a read-only SAS URL for a blob path, valid for `ttlMinutes` (clamped to 1 … {@link MAX_LINK_MINUTES}). */
export type LinkMaker = (path: string, ttlMinutes: number) => Promise<string>;

/** What a report link authorizes: the one blob, or (read-only) the container, so sibling WAVs play. */
export type LinkScope = 'container' | 'blob';

/** A link maker over a BlobServiceClient that was built with a TokenCredential. */
export function userDelegationLinks(
  service: BlobServiceClient,
  container: string,
  now: () => Date = () => new Date(),
  scope: LinkScope = 'container',
): LinkMaker {
  let cached: { key: UserDelegationKey; expiresOn: Date } | undefined;
  let pending: Promise<{ key: UserDelegationKey; expiresOn: Date }> | undefined;

  async function keyValidUntil(until: Date): Promise<UserDelegationKey> {
    if (cached && cached.expiresOn.getTime() >= until.getTime()) return cached.key;
    if (!pending) {
      const start = new Date(now().getTime() - SKEW_MS);
      const minutes = Math.min(
        MAX_LINK_MINUTES,
        Math.max(KEY_MINUTES, (until.getTime() - now().getTime()) / 60_000 + 5),
      );
      const expiresOn = new Date(now().getTime() + minutes * 60_000);
      pending = service
        .getUserDelegationKey(start, expiresOn)
        .then((key) => (cached = { key, expiresOn }))
        .finally(() => (pending = undefined));
    }
    return (await pending).key;
  }

  return async (path, ttlMinutes) => {
    const minutes = Math.min(MAX_LINK_MINUTES, Math.max(1, Math.floor(ttlMinutes)));
    const startsOn = new Date(now().getTime() - SKEW_MS);
    const expiresOn = new Date(now().getTime() + minutes * 60_000);
    const key = await keyValidUntil(expiresOn);
    const blob = service.getContainerClient(container).getBlobClient(path);
    const https = blob.url.startsWith('https:');
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        ...(scope === 'blob'
          ? { blobName: path, permissions: BlobSASPermissions.parse('r') }
          : { permissions: ContainerSASPermissions.parse('r') }),
        startsOn,
        expiresOn,
        protocol: https ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
      },
      key,
      service.accountName,
    );
    return `${blob.url}?${sas.toString()}`;
  };
}
