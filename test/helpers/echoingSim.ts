/**
 * The simulator as a service that echoes the key it was sent: it accepts `key`, answers with a transcript that
 * says the key, and sends an `error` event whose message quotes it as given and inside a base64 `Basic`
 * credential (scenario `echo`). For the tests of "no secret at any exit".
 */
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { shortCatalog } from '../handlers/roundFixture.js';

export async function startEchoingSim(key: string): Promise<RunningSimulator> {
  const basic = Buffer.from(`canary:${key}`).toString('base64');
  return startSimulator({
    port: 0,
    apiKey: key,
    catalog: shortCatalog().map((p) => ({ ...p, answer: `Sure. Your key is ${key}. One. Two. Three.` })),
    scenarios: {
      echo: {
        name: 'echo',
        description: 'echoes the key in an error event, as given and in base64',
        delivery: { speed: 6, burstMs: 500 },
        turns: [
          {
            faults: [
              { kind: 'error-event', atMs: 300, message: `Incorrect API key provided: ${key} (Basic ${basic})` },
            ],
          },
        ],
      },
    },
  });
}
