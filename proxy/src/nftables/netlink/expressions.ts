// The rules a Service fragment writes (fragment.ts), as nf_tables expressions — the same
// expressions nft 1.0.6 generates for them (`nft --debug=netlink`), so the kernel runs, and
// `nft list` prints, exactly what `nft -f` would have programmed. The grammar is closed: a rule
// with any statement this file does not know is not translated (undefined), and the caller
// hands the whole transaction to nft instead.
import { attr, hostU32, type Attr } from './attributes.js';

const NFT_REG_VERDICT = 0;
const NFT_REG_1 = 1;
const NFT_REG_2 = 2;
const NFT_PAYLOAD_NETWORK_HEADER = 1;
const NFT_PAYLOAD_TRANSPORT_HEADER = 2;
const NFT_CMP_EQ = 0;
const NFT_CMP_NEQ = 1;
const NFT_META_L4PROTO = 16;
const NFT_NG_RANDOM = 1;
const NFT_DYNSET_OP_UPDATE = 1;
const NFT_NAT_DNAT = 1;
const NFPROTO_IPV4 = 2;
const NF_NAT_RANGE_PROTO_SPECIFIED = 0x2;
const NFT_FIB_RESULT_ADDRTYPE = 3;
const NFTA_FIB_F_SADDR = 0x1;
const RTN_LOCAL = 2;

export const NFT_JUMP = -3;
export const NFT_GOTO = -4;
export const NF_DROP = 0;

export const IP_PROTOCOLS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132 };

/** An anonymous verdict map a rule looks up (`numgen … vmap { … }`), created with the rule. */
export interface AnonymousMap {
  /** The batch-local id the rule's lookup names it by. */
  readonly id: number;
  /** Key (host-order u32 index) → chain to go to. */
  readonly entries: readonly { readonly key: number; readonly verdict: Verdict }[];
}

export interface Verdict {
  readonly code: number;
  readonly chain?: string;
}

export interface RuleExpressions {
  readonly exprs: readonly Attr[];
  readonly anonymousMaps: readonly AnonymousMap[];
}

const expr = (name: string, data: readonly Attr[]): Attr =>
  attr.nest(1, [attr.str(1, name), attr.nest(2, data)]);

const payload = (base: number, offset: number, len: number): Attr =>
  expr('payload', [
    attr.u32(1, NFT_REG_1),
    attr.u32(2, base),
    attr.u32(3, offset),
    attr.u32(4, len),
  ]);

const cmp = (op: number, value: Buffer): Attr =>
  expr('cmp', [attr.u32(1, NFT_REG_1), attr.u32(2, op), attr.nest(3, [attr.bytes(1, value)])]);

export const verdictData = (v: Verdict): Attr =>
  attr.nest(2, [attr.u32(1, v.code), ...(v.chain === undefined ? [] : [attr.str(2, v.chain)])]);

const immediateVerdict = (v: Verdict): Attr =>
  expr('immediate', [attr.u32(1, NFT_REG_VERDICT), attr.nest(2, [verdictData(v)])]);

const immediateValue = (reg: number, value: Buffer): Attr =>
  expr('immediate', [attr.u32(1, reg), attr.nest(2, [attr.bytes(1, value)])]);

const lookup = (set: string, setId: number | undefined, dreg: number | undefined): Attr =>
  expr('lookup', [
    attr.str(1, set),
    attr.u32(2, NFT_REG_1),
    ...(dreg === undefined ? [] : [attr.u32(3, dreg)]),
    ...(setId === undefined ? [] : [attr.u32(4, setId)]),
  ]);

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address in network order, or undefined when `text` is not one. */
export function ipv4Bytes(text: string): Buffer | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return Buffer.from(octets);
}

/** A port (or any 16-bit number) in network order. */
export function portBytes(text: string): Buffer | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  if (n > 65535) return undefined;
  const buf = Buffer.alloc(2);
  buf.writeUInt16BE(n);
  return buf;
}

/** `ip saddr|daddr [!=] A.B.C.D[/len]`, as nft encodes it: whole bytes compared, a mask otherwise. */
function addressMatch(offset: number, negate: boolean, value: string): Attr[] | undefined {
  const [address, prefixText] = value.split('/');
  const bytes = address === undefined ? undefined : ipv4Bytes(address);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (!bytes || !Number.isInteger(prefix) || prefix < 1 || prefix > 32) return undefined;
  const op = negate ? NFT_CMP_NEQ : NFT_CMP_EQ;
  if (prefix % 8 === 0) {
    const len = prefix / 8;
    return [payload(NFT_PAYLOAD_NETWORK_HEADER, offset, len), cmp(op, bytes.subarray(0, len))];
  }
  const mask = Buffer.alloc(4);
  mask.writeUInt32BE(prefix === 32 ? 0xffffffff : ~(0xffffffff >>> prefix) >>> 0);
  const masked = Buffer.from(bytes.map((b, i) => b & (mask[i] ?? 0)));
  return [
    payload(NFT_PAYLOAD_NETWORK_HEADER, offset, 4),
    expr('bitwise', [
      attr.u32(1, NFT_REG_1),
      attr.u32(2, NFT_REG_1),
      attr.u32(3, 4),
      attr.nest(4, [attr.bytes(1, mask)]),
      attr.nest(5, [attr.bytes(1, Buffer.alloc(4))]),
    ]),
    cmp(op, masked),
  ];
}

const l4protoIs = (proto: number): Attr[] => [
  expr('meta', [attr.u32(1, NFT_REG_1), attr.u32(2, NFT_META_L4PROTO)]),
  cmp(NFT_CMP_EQ, Buffer.from([proto])),
];

/** `goto X`, `jump X`, `drop`: a verdict, or undefined. */
export function parseVerdict(words: readonly string[]): Verdict | undefined {
  const [verb, chain] = words;
  if (verb === 'drop' && words.length === 1) return { code: NF_DROP };
  if ((verb === 'goto' || verb === 'jump') && chain !== undefined && words.length === 2)
    return { code: verb === 'goto' ? NFT_GOTO : NFT_JUMP, chain };
  return undefined;
}

/**
 * The expressions of one rule, or undefined when it has a statement outside the grammar.
 * `nextSetId` numbers the anonymous maps the rule creates (unique within a batch).
 */
export function ruleExpressions(
  rule: string,
  nextSetId: () => number,
): RuleExpressions | undefined {
  const words = rule.split(' ').filter((w) => w !== '');
  const exprs: Attr[] = [];
  const anonymousMaps: AnonymousMap[] = [];
  let i = 0;
  const at = (k: number): string | undefined => words[i + k];
  while (i < words.length) {
    const w = at(0);
    if (w === 'ip' && (at(1) === 'saddr' || at(1) === 'daddr')) {
      const offset = at(1) === 'saddr' ? 12 : 16;
      const negate = at(2) === '!=';
      const value = at(negate ? 3 : 2);
      if (value === undefined) return undefined;
      if (value.startsWith('@') && !negate) {
        exprs.push(
          payload(NFT_PAYLOAD_NETWORK_HEADER, offset, 4),
          lookup(value.slice(1), undefined, undefined),
        );
      } else {
        const match = addressMatch(offset, negate, value);
        if (!match) return undefined;
        exprs.push(...match);
      }
      i += negate ? 4 : 3;
    } else if (w !== undefined && IP_PROTOCOLS[w] !== undefined && at(1) === 'dport') {
      const port = portBytes(at(2) ?? '');
      if (!port) return undefined;
      exprs.push(...l4protoIs(IP_PROTOCOLS[w] ?? 0), payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2));
      exprs.push(cmp(NFT_CMP_EQ, port));
      i += 3;
    } else if (w === 'meta' && at(1) === 'l4proto' && IP_PROTOCOLS[at(2) ?? ''] !== undefined) {
      exprs.push(...l4protoIs(IP_PROTOCOLS[at(2) ?? ''] ?? 0));
      i += 3;
    } else if (w === 'fib' && at(1) === 'saddr' && at(2) === 'type' && at(3) === 'local') {
      exprs.push(
        expr('fib', [
          attr.u32(1, NFT_REG_1),
          attr.u32(2, NFT_FIB_RESULT_ADDRTYPE),
          attr.u32(3, NFTA_FIB_F_SADDR),
        ]),
        cmp(NFT_CMP_EQ, hostU32(RTN_LOCAL)),
      );
      i += 4;
    } else if (
      w === 'update' &&
      at(1)?.startsWith('@') &&
      words.slice(i + 2, i + 6).join(' ') === '{ ip saddr }'
    ) {
      exprs.push(
        payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4),
        expr('dynset', [
          attr.str(1, (at(1) ?? '').slice(1)),
          attr.u32(3, NFT_DYNSET_OP_UPDATE),
          attr.u32(4, NFT_REG_1),
        ]),
      );
      i += 6;
    } else if (w === 'dnat' && at(1) === 'to' && i + 3 === words.length) {
      const [ip, port] = (at(2) ?? '').split(':');
      const addr = ip === undefined ? undefined : ipv4Bytes(ip);
      const portBuf = port === undefined ? undefined : portBytes(port);
      if (!addr || !portBuf) return undefined;
      exprs.push(
        immediateValue(NFT_REG_1, addr),
        immediateValue(NFT_REG_2, portBuf),
        expr('nat', [
          attr.u32(1, NFT_NAT_DNAT),
          attr.u32(2, NFPROTO_IPV4),
          attr.u32(3, NFT_REG_1),
          attr.u32(5, NFT_REG_2),
          attr.u32(7, NF_NAT_RANGE_PROTO_SPECIFIED),
        ]),
      );
      i += 3;
    } else if (
      w === 'numgen' &&
      at(1) === 'random' &&
      at(2) === 'mod' &&
      at(4) === 'vmap' &&
      at(5) === '{'
    ) {
      const modulus = Number(at(3));
      const close = words.indexOf('}', i + 6);
      if (!Number.isInteger(modulus) || modulus < 1 || close !== words.length - 1) return undefined;
      const entries = parseVmapEntries(words.slice(i + 6, close));
      if (!entries || entries.some((e) => e.key >= modulus)) return undefined;
      const id = nextSetId();
      anonymousMaps.push({ id, entries });
      exprs.push(
        expr('numgen', [
          attr.u32(1, NFT_REG_1),
          attr.u32(2, modulus),
          attr.u32(3, NFT_NG_RANDOM),
          attr.u32(4, 0),
        ]),
        lookup('__map%d', id, NFT_REG_VERDICT),
      );
      i = close + 1;
    } else {
      // A verdict ends a rule.
      const verdict = parseVerdict(words.slice(i));
      if (!verdict) return undefined;
      exprs.push(immediateVerdict(verdict));
      i = words.length;
    }
  }
  return { exprs, anonymousMaps };
}

/** `0 : goto a , 1 : goto b` */
function parseVmapEntries(words: readonly string[]): AnonymousMap['entries'] | undefined {
  const entries: { key: number; verdict: Verdict }[] = [];
  const text = words.join(' ');
  for (const item of text.split(' , ')) {
    const [key, , ...rest] = item.split(' ');
    const verdict = parseVerdict(rest);
    if (key === undefined || !/^\d+$/.test(key) || !verdict) return undefined;
    entries.push({ key: Number(key), verdict });
  }
  return entries;
}
