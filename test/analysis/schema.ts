/** The report JSON Schema, compiled once with ajv (draft 2020-12, strict mode). */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const REPORT_SCHEMA = JSON.parse(
  readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(REPORT_SCHEMA);

/** Schema errors of a report as it would be written (JSON round trip); empty when valid. */
export function reportErrors(report: unknown): string[] {
  const ok = validate(JSON.parse(JSON.stringify(report)));
  return ok
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
