/**
 * Verdicts that could not reach the alert state (storage down) wait here, in the spool folder, so they still
 * count towards K-of-N once storage is back: `<spoolDir>/verdicts/<region>/<target>/<startedAt>-<runId>.json`,
 * one RunSummary each. `take` claims a target's files by atomic rename (processes sharing the folder never
 * apply the same verdict twice; applying one twice would be harmless anyway — the rules ignore a run id they
 * have seen), returns them in run order, and `done` / `release` removes or gives them back.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from '../runSummary.js';
import { safeSegment } from './layout.js';

const CLAIM = '.claimed-';

/** Spooled verdicts of one target, claimed by this process. */
export interface TakenVerdicts {
  /** Oldest run first. */
  summaries: RunSummary[];
  /** They were applied: remove them. */
  done(): Promise<void>;
  /** They could not be applied: put them back for a later round. */
  release(): Promise<void>;
}

export interface VerdictSpool {
  add(summary: RunSummary): Promise<void>;
  take(region: string, target: string): Promise<TakenVerdicts>;
}

export function verdictSpool(spoolDir: string): VerdictSpool {
  const dirOf = (region: string, target: string): string =>
    join(spoolDir, 'verdicts', safeSegment(region), safeSegment(target));
  return {
    async add(s) {
      const dir = dirOf(s.region, s.target);
      await mkdir(dir, { recursive: true });
      const name = `${s.startedAt.replace(/[:.]/g, '-')}-${safeSegment(s.runId)}.json`;
      const temp = join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await writeFile(temp, JSON.stringify(s));
        await rename(temp, join(dir, name));
      } catch (error) {
        await unlink(temp).catch(() => undefined); // a full disk: leave no partial file behind
        throw error;
      }
    },
    async take(region, target) {
      const dir = dirOf(region, target);
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
      } catch {
        names = [];
      }
      const claimed: { name: string; file: string }[] = [];
      const summaries: RunSummary[] = [];
      for (const name of names) {
        const file = join(dir, `${name}${CLAIM}${process.pid}-${randomBytes(4).toString('hex')}`);
        try {
          await rename(join(dir, name), file);
        } catch {
          continue; // another process took it
        }
        try {
          summaries.push(JSON.parse(await readFile(file, 'utf8')) as RunSummary);
          claimed.push({ name, file });
        } catch {
          await unlink(file).catch(() => undefined); // unreadable: nothing to count
        }
      }
      summaries.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
      return {
        summaries,
        done: async () => void (await Promise.all(claimed.map((c) => unlink(c.file).catch(() => undefined)))),
        release: async () =>
          void (await Promise.all(claimed.map((c) => rename(c.file, join(dir, c.name)).catch(() => undefined)))),
      };
    },
  };
}
