#!/usr/bin/env node
// azd postdeploy hook (see azure.yaml). azd deploys the `canary` service to one app only, the one
// tagged azd-service-name: canary (the first region's). This publishes the same project to every
// other region's app with Azure Functions Core Tools, built remotely like azd's own deployment.
// The app names come from the provisioning outputs azd puts in the hook's environment.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** The function apps azd did not deploy to, from CANARY_FUNCTION_APP_NAMES and SERVICE_CANARY_NAME. */
export function secondaryApps(env) {
  const raw = env.CANARY_FUNCTION_APP_NAMES;
  if (!raw) throw new Error('CANARY_FUNCTION_APP_NAMES is not set: run `azd provision` first');
  let names;
  try {
    names = JSON.parse(raw);
  } catch {
    throw new Error(`CANARY_FUNCTION_APP_NAMES is not a JSON array: ${raw}`);
  }
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new Error(`CANARY_FUNCTION_APP_NAMES must be a non-empty JSON array of app names: ${raw}`);
  }
  const primary = env.SERVICE_CANARY_NAME || names[0];
  return names.filter((n) => n !== primary);
}

/** The command that publishes this project to one app. */
export function publishCommand(app) {
  return ['func', ['azure', 'functionapp', 'publish', app, '--build', 'remote']];
}

function main() {
  let apps;
  try {
    apps = secondaryApps(process.env);
  } catch (err) {
    console.error(`azd-deploy-regions: ${err.message}`);
    return 1;
  }
  if (apps.length === 0) {
    console.log('azd-deploy-regions: one region only; azd has deployed it.');
    return 0;
  }
  const shell = process.platform === 'win32';
  const probe = spawnSync('func', ['--version'], { encoding: 'utf8', shell });
  if (probe.status !== 0) {
    console.error(
      'azd-deploy-regions: Azure Functions Core Tools (func) not found; azd deployed the first region only.',
    );
    console.error('Publish the other regions with (after `az login`):');
    for (const app of apps) console.error(`  ${publishCommand(app).flat().join(' ')}`);
    return 1;
  }
  for (const app of apps) {
    const [cmd, args] = publishCommand(app);
    console.log(`azd-deploy-regions: ${cmd} ${args.join(' ')}`);
    const res = spawnSync(cmd, args, { stdio: 'inherit', shell });
    if (res.status !== 0) {
      console.error(`azd-deploy-regions: publishing to ${app} failed (exit ${res.status})`);
      return res.status ?? 1;
    }
  }
  console.log(`azd-deploy-regions: published to ${apps.length} more region(s): ${apps.join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main());
