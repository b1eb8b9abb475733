// The DNS wire format through dns-packet: header bits dns-packet leaves as raw flags, and
// decoding that answers "not a DNS message" instead of throwing.
import * as packet from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';

export const FLAG_QR = 0x8000;
export const FLAG_AA = packet.AUTHORITATIVE_ANSWER;
export const FLAG_TC = packet.TRUNCATED_RESPONSE;
export const FLAG_RD = packet.RECURSION_DESIRED;
export const FLAG_RA = packet.RECURSION_AVAILABLE;
export const FLAG_CD = packet.CHECKING_DISABLED;

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

export const opcodeOf = (flags: number): number => (flags >> 11) & 0xf;
export const rcodeOf = (flags: number): number => flags & 0xf;

/** Without it a client's datagram answer is capped at 512 bytes (RFC 1035). */
export const CLASSIC_UDP_SIZE = 512;
/** The largest datagram answer sent, whatever a client offers: DNS Flag Day 2020's 1232. */
export const MAX_UDP_SIZE = 1232;

/** The message, or undefined when the bytes are not a well-formed DNS message. */
export function decodeMessage(bytes: Buffer): DecodedPacket | undefined {
  try {
    return packet.decode(bytes);
  } catch (err) {
    // dns-packet throws RangeError/Error on truncated or inconsistent input; that is the answer.
    if (err instanceof Error) return undefined;
    throw err;
  }
}

/** Our EDNS0 OPT record, offering `udpPayloadSize` bytes (RFC 6891). */
export function ednsOpt(udpPayloadSize: number): packet.OptAnswer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
}
