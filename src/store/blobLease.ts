/**
 * A blob lease as a lock between processes (queue mode's planner: one per region at a time). The lease blob is an
 * empty block blob, created on first use; `tryAcquire` takes a lease of up to 60 s (Storage's longest finite one)
 * or answers `undefined` when another holder has it (409 LeaseAlreadyPresent), so an overlapping invocation does
 * nothing. Only Blob Storage (Azure or Azurite) has leases: a local folder is refused by the planner, not faked.
 */
import { RestError, type BlockBlobClient } from '@azure/storage-blob';
import { blobService, DEFAULT_SDK_RETRY } from './blobStore.js';
import { isPreconditionFailure, statusOf } from './storageErrors.js';
import type { BlobSettings } from './storageSettings.js';

/** A lease this process holds. */
export interface HeldLease {
  readonly leaseId: string;
  /** Gives the lease back (best effort: it expires by itself at its duration). */
  release(signal?: AbortSignal): Promise<void>;
}

export interface BlobLease {
  /** Where the lease lives, for logs: `<store>/<path>`. */
  readonly description: string;
  /** The lease for `durationS` (15–60 s), or undefined when another holder has it. */
  tryAcquire(durationS: number, signal?: AbortSignal): Promise<HeldLease | undefined>;
}

export function blobLease(settings: BlobSettings, path: string): BlobLease {
  const service = blobService(settings, DEFAULT_SDK_RETRY);
  const container = service.getContainerClient(settings.container);
  const blob = container.getBlockBlobClient(path);
  return {
    description: `blob:${service.accountName}/${settings.container}/${path}`,
    async tryAcquire(durationS, abortSignal) {
      const leases = blob.getBlobLeaseClient();
      const acquire = () => leases.acquireLease(Math.min(60, Math.max(15, Math.round(durationS))), { abortSignal });
      try {
        await acquire();
      } catch (err) {
        if (leaseTaken(err)) return undefined;
        if (statusOf(err) !== 404) throw err;
        await container.createIfNotExists({ abortSignal });
        await createEmpty(blob, abortSignal);
        try {
          await acquire();
        } catch (again) {
          if (leaseTaken(again)) return undefined;
          throw again;
        }
      }
      const leaseId = leases.leaseId;
      return {
        leaseId,
        async release(signal) {
          await leases.releaseLease({ abortSignal: signal });
        },
      };
    },
  };
}

/** 409 LeaseAlreadyPresent: someone else holds it. */
function leaseTaken(err: unknown): boolean {
  return err instanceof RestError && err.statusCode === 409 && err.code === 'LeaseAlreadyPresent';
}

async function createEmpty(blob: BlockBlobClient, abortSignal?: AbortSignal): Promise<void> {
  try {
    await blob.upload('', 0, { conditions: { ifNoneMatch: '*' }, abortSignal });
  } catch (err) {
    // created meanwhile by another planner (or leased by it: 412 lease present) — either way it exists
    if (!isPreconditionFailure(err) && statusOf(err) !== 409) throw err;
  }
}
