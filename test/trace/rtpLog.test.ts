/** The binary RTP log: fixed-size records that round-trip exactly, and clear errors for anything else. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readRtpLog, RTP_RECORD_BYTES, RtpLogWriter, type RtpRecord } from '../../src/trace/rtpLog.js';

const rec = (i: number): RtpRecord => ({
  t: 1000.125 + i * 20.001,
  seq: (65530 + i) & 0xffff,
  timestamp: (0xfffffc00 + i * 960) >>> 0,
  size: 60 + (i % 7),
  marker: i === 0,
  payloadType: 111,
  pcmOffset: i * 960,
  pcmBytes: 960,
  undecodable: i === 3,
});

describe('RTP log', () => {
  it('round-trips records across sequence and timestamp wrap, growing past its first buffer', () => {
    const w = new RtpLogWriter();
    const all = Array.from({ length: 600 }, (_, i) => rec(i));
    all.forEach((r) => w.add(r));
    const bytes = w.bytes();
    expect(bytes.length).toBe(8 + 600 * RTP_RECORD_BYTES);
    expect(readRtpLog(bytes)).toEqual(all);
    expect(bytes.length).toBeLessThan(600 * 60); // far smaller than one JSON line per packet
  });

  it('names the problem with a foreign or truncated file', () => {
    expect(() => readRtpLog(Buffer.from('not a log at all'), 'rtp-1.bin')).toThrow(InputError);
    const w = new RtpLogWriter();
    w.add(rec(0));
    expect(() => readRtpLog(w.bytes().subarray(0, 20), 'rtp-1.bin')).toThrow(/truncated/);
    const future = Buffer.from(w.bytes());
    future.writeUInt16LE(9, 4);
    expect(() => readRtpLog(future, 'rtp-1.bin')).toThrow(/version 9/);
  });
});
