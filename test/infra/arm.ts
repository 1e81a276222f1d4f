// What the infra tests share: a parameters file for infra/main.bicep in the git-ignored test folder, and walking
// compiled ARM JSON — the template and its nested module templates, and the resources of one type among them. The
// trees are untyped JSON (`Json`) as the Bicep CLI writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { INFRA_DIR, TOOLS_DIR } from '../../scripts/bicep.mjs';

// compiled ARM JSON, read by path
export type Json = any;

/** Where the tests write their parameters files and scratch templates (under .tools/, git-ignored). */
export const TEST_DIR = join(TOOLS_DIR, '..', 'infra-test');

/** Writes `<name>.bicepparam` using infra/main.bicep with the parameter lines `body`; returns its path. */
export function writeMainParams(name: string, body: string): string {
  mkdirSync(TEST_DIR, { recursive: true });
  const file = join(TEST_DIR, `${name}.bicepparam`);
  const using = relative(TEST_DIR, join(INFRA_DIR, 'main.bicep')).split('\\').join('/');
  writeFileSync(file, `using '${using}'\n\n${body}`);
  return file;
}

/** The template and every nested (module) template, each with its path in the tree. */
export function templates(template: Json, path = 'main'): Array<{ path: string; template: Json }> {
  const out = [{ path, template }];
  for (const [name, res] of Object.entries<Json>(template.resources ?? {})) {
    if (res.type === 'Microsoft.Resources/deployments' && res.properties?.template) {
      out.push(...templates(res.properties.template, `${path}/${name}`));
    }
  }
  return out;
}

/** Every resource of `type` (not `existing` references) in the template and its module templates. */
export function resourcesOfType(template: Json, type: string): Array<{ where: string; name: string; resource: Json }> {
  return templates(template).flatMap(({ path, template: t }) =>
    Object.entries<Json>(t.resources ?? {})
      .filter(([, r]) => r.type === type && !r.existing)
      .map(([name, resource]) => ({ where: path, name, resource })),
  );
}
