/** A delivery channel around a plain send function, for tests that post through deliverPending. */
import type { SendOutcome } from '../../src/sinks/alerts/alertDelivery.js';
import type { Notification } from '../../src/sinks/alerts/alertState.js';
import type { Channel, ChannelName } from '../../src/sinks/alerts/channels.js';

export function testChannel(
  send: (n: Notification, signal?: AbortSignal) => Promise<SendOutcome>,
  name: ChannelName = 'webhook',
): Channel {
  return { name, usable: true, accepts: () => true, send };
}
