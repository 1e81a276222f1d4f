// azure.yaml and its postdeploy hook, which publishes to the regions azd itself does not deploy to.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/bicep.mjs';
import { publishCommand, secondaryApps } from '../../scripts/azd-deploy-regions.mjs';

describe('azd', () => {
  it('provisions infra/main and deploys the project as a function app', () => {
    const yaml = readFileSync(join(ROOT, 'azure.yaml'), 'utf8');
    expect(yaml).toMatch(/^infra:\n {2}provider: bicep\n {2}path: infra\n {2}module: main$/m);
    expect(yaml).toMatch(/^ {2}canary:\n {4}project: \.\n {4}language: ts\n {4}host: function$/m);
    // the service name matches the tag the template puts on the first region's app
    const main = readFileSync(join(ROOT, 'infra', 'main.bicep'), 'utf8');
    expect(main).toContain("appTags: i == 0 ? { 'azd-service-name': 'canary' } : {}");
    const hooks = [...yaml.matchAll(/run: node (\S+)/g)].map((m) => m[1]!);
    expect(hooks).toEqual(['scripts/azd-deploy-regions.mjs', 'scripts/azd-deploy-regions.mjs']);
    expect(existsSync(join(ROOT, hooks[0]!))).toBe(true);
  });

  it('publishes to every app but the one azd deployed', () => {
    const names = JSON.stringify(['func-canary-a-swedencentral', 'func-canary-b-francecentral', 'func-canary-c-eastus2']);
    expect(secondaryApps({ CANARY_FUNCTION_APP_NAMES: names, SERVICE_CANARY_NAME: 'func-canary-a-swedencentral' })).toEqual([
      'func-canary-b-francecentral',
      'func-canary-c-eastus2',
    ]);
    expect(secondaryApps({ CANARY_FUNCTION_APP_NAMES: names })).toEqual(['func-canary-b-francecentral', 'func-canary-c-eastus2']);
    expect(secondaryApps({ CANARY_FUNCTION_APP_NAMES: '["only"]', SERVICE_CANARY_NAME: 'only' })).toEqual([]);
    expect(publishCommand('func-canary-b-francecentral')).toEqual([
      'func',
      ['azure', 'functionapp', 'publish', 'func-canary-b-francecentral', '--build', 'remote'],
    ]);
  });

  it('says what is wrong with missing or malformed outputs', () => {
    expect(() => secondaryApps({})).toThrow(/CANARY_FUNCTION_APP_NAMES is not set/);
    expect(() => secondaryApps({ CANARY_FUNCTION_APP_NAMES: 'a,b' })).toThrow(/not a JSON array/);
    expect(() => secondaryApps({ CANARY_FUNCTION_APP_NAMES: '[]' })).toThrow(/non-empty JSON array/);
    expect(() => secondaryApps({ CANARY_FUNCTION_APP_NAMES: '[1]' })).toThrow(/non-empty JSON array/);
  });
});
