/**
 * When a WebRTC answer has played out, on an injected clock: at `output_audio_buffer.stopped` when the service
 * sends its playout events; at `response.done` plus the last RTP packet plus the playout model when it does not;
 * when the media deadline gives up on an answer whose audio never began.
 */
import { describe, expect, it } from 'vitest';
import { PLAYOUT_IDLE_MS, PlayoutTracker } from '../../src/probe/webrtc/playout.js';

function tracker() {
  const clock = { now: 0 };
  return { clock, p: new PlayoutTracker(() => clock.now) };
}

describe('PlayoutTracker', () => {
  it('nothing created: nothing plays', () => {
    expect(tracker().p.playing).toBe(false);
  });

  it('with output_audio_buffer events: plays from response.created until stopped, long after response.done', () => {
    const { clock, p } = tracker();
    p.created('resp_1', 0);
    p.started('resp_1');
    for (clock.now = 100; clock.now < 500; clock.now += 20) p.rtp(clock.now);
    p.done('resp_1');
    clock.now = 10_000; // no RTP for seconds (a stall), but the service said it is playing
    expect(p.playing).toBe(true);
    p.stopped('resp_1', 10_050);
    clock.now = 10_050;
    expect(p.playing).toBe(false);
    expect(p.endedAt).toBe(10_050);
  });

  it('without them: plays until response.done and no RTP for the playout idle time', () => {
    const { clock, p } = tracker();
    p.created('resp_1', 0);
    for (clock.now = 100; clock.now <= 3_000; clock.now += 20) p.rtp(clock.now);
    clock.now = 3_000;
    expect(p.playing).toBe(true); // not done yet
    p.done('resp_1');
    clock.now = 3_000 + PLAYOUT_IDLE_MS - 1;
    expect(p.playing).toBe(true); // RTP may still come
    clock.now = 3_000 + PLAYOUT_IDLE_MS;
    expect(p.playing).toBe(false);
    expect(p.endedAt).toBe(3_020); // the last packet's end
  });

  it('an answer whose audio has not begun plays until its RTP comes or the media deadline gives up', () => {
    const { clock, p } = tracker();
    p.rtp(50); // the previous answer's last packet
    p.created('resp_2', 100);
    p.done('resp_2');
    clock.now = 5_000;
    expect(p.playing).toBe(true);
    p.mediaGaveUp(5_100);
    clock.now = 5_100;
    expect(p.playing).toBe(false);
  });

  it('cleared without a response id ends every answer; two answers play until both are over', () => {
    const { clock, p } = tracker();
    p.created('resp_1', 0);
    p.created('resp_2', 10);
    p.started('resp_1');
    p.started('resp_2');
    p.done('resp_1');
    p.done('resp_2');
    p.stopped('resp_1', 500);
    clock.now = 600;
    expect(p.playing).toBe(true);
    p.stopped(undefined, 700);
    expect(p.playing).toBe(false);
  });
});
