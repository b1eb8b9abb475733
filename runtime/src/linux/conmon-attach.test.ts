// conmon's attach packets: the pipe byte first, input cut to what conmon reads at once.
import { describe, expect, it } from 'vitest';
import { decodeAttachPacket, inputPackets, MAX_INPUT_PACKET } from './conmon-attach.js';

describe("conmon's attach packets", () => {
  it.each([
    { name: 'stdout', packet: [2, 0x68, 0x69], expected: { stream: 'stdout', data: 'hi' } },
    { name: 'stderr', packet: [3, 0x68, 0x69], expected: { stream: 'stderr', data: 'hi' } },
    { name: 'an unknown pipe', packet: [1, 0x68], expected: undefined },
    { name: 'a pipe byte alone', packet: [2], expected: undefined },
    { name: 'nothing', packet: [], expected: undefined },
  ])('reads $name', ({ packet, expected }) => {
    const output = decodeAttachPacket(Buffer.from(packet));
    expect(
      output === undefined ? undefined : { stream: output.stream, data: output.data.toString() },
    ).toEqual(expected);
  });

  it('cuts long input into packets conmon takes whole, keeping every byte in order', () => {
    const input = Buffer.alloc(MAX_INPUT_PACKET * 2 + 10, 'x');
    input[MAX_INPUT_PACKET] = 0x79;
    const packets = inputPackets(input);
    expect(packets.map((p) => p.length)).toEqual([MAX_INPUT_PACKET, MAX_INPUT_PACKET, 10]);
    expect(Buffer.concat(packets).equals(input)).toBe(true);
    expect(inputPackets(Buffer.alloc(0))).toEqual([]);
  });
});
