// A partial sync's `nft -f` text (ruleset.ts) as one nf_tables netlink batch: the same commands,
// in the same order, in one atomic transaction — without nft's cache fill. nft 1.0.6 dumps
// every chain of the table before any rule or element command (≈ 30 ms of CPU at 11,000
// chains); the kernel needs none of that to apply a change by name. Only the statements a
// partial sync writes are known here; anything else makes the whole text untranslatable
// (undefined) and it goes to nft as before.
import {
  attr,
  hostU32,
  nfMessage,
  NLM_F_ACK,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_REQUEST,
  type Attr,
} from './attributes.js';
import {
  IP_PROTOCOLS,
  ipv4Bytes,
  parseVerdict,
  portBytes,
  ruleExpressions,
  verdictData,
  type AnonymousMap,
  type Verdict,
} from './expressions.js';
import { NFT_TABLE } from '../base.js';

const NFNL_SUBSYS_NFTABLES = 10;
const NFNL_MSG_BATCH_BEGIN = 0x10;
const NFNL_MSG_BATCH_END = 0x11;
const NFPROTO_IPV4 = 2;
const AF_UNSPEC = 0;
const msgType = (m: number): number => (NFNL_SUBSYS_NFTABLES << 8) | m;
const NFT_MSG = {
  NEWCHAIN: msgType(3),
  DELCHAIN: msgType(5),
  NEWRULE: msgType(6),
  DELRULE: msgType(8),
  NEWSET: msgType(9),
  DELSET: msgType(11),
  NEWSETELEM: msgType(12),
  DELSETELEM: msgType(14),
};
const NFT_SET_ANONYMOUS = 0x1;
const NFT_SET_CONSTANT = 0x2;
const NFT_SET_MAP = 0x8;
const NFT_SET_TIMEOUT = 0x10;
const NFT_SET_EVAL = 0x20;
const TYPE_INTEGER = 4;
const TYPE_IPADDR = 7;
const NFT_DATA_VERDICT = 0xffffff00;
const NFTNL_UDATA_SET_KEYBYTEORDER = 0;
const NFTNL_UDATA_SET_DATABYTEORDER = 1;
const BYTEORDER_HOST_ENDIAN = 1;
const BYTEORDER_BIG_ENDIAN = 2;

/** One command of the batch and the line of the nft text it came from (for error messages). */
export interface BatchCommand {
  readonly line: string;
  readonly message: (seq: number) => Buffer;
}

/**
 * The commands of `text` (ruleset.ts's lines, one command each), or undefined when a line is
 * outside what this file translates. Anonymous maps get ids from `firstSetId` on.
 */
export function batchCommands(text: string, firstSetId = 1): BatchCommand[] | undefined {
  let setId = firstSetId;
  const nextSetId = (): number => setId++;
  const commands: BatchCommand[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const translated = translateLine(line, nextSetId);
    if (!translated) return undefined;
    commands.push(...translated.map((message) => ({ line, message })));
  }
  return commands;
}

/** The whole batch: begin, the commands (sequence numbers from `firstSeq`), end. */
export function batchBuffer(commands: readonly BatchCommand[], firstSeq: number): Buffer {
  const batchMark = (type: number, seq: number): Buffer =>
    nfMessage(type, NLM_F_REQUEST, seq, AF_UNSPEC, NFNL_SUBSYS_NFTABLES, []);
  return Buffer.concat([
    batchMark(NFNL_MSG_BATCH_BEGIN, firstSeq - 1),
    ...commands.map((c, i) => c.message(firstSeq + i)),
    batchMark(NFNL_MSG_BATCH_END, firstSeq + commands.length),
  ]);
}

type Message = (seq: number) => Buffer;

const message =
  (type: number, flags: number, attrs: readonly Attr[]): Message =>
  (seq) =>
    nfMessage(type, NLM_F_REQUEST | NLM_F_ACK | flags, seq, NFPROTO_IPV4, 0, attrs);

function translateLine(line: string, nextSetId: () => number): Message[] | undefined {
  const words = line.split(' ');
  const [verb, object, family, tableName, name] = words;
  // Only the proxy's own table: its family and name are what the messages below assume.
  if (`${family} ${tableName}` !== NFT_TABLE || name === undefined) return undefined;
  const rest = words.slice(5);
  const tableAttr = attr.str(1, tableName ?? '');
  switch (`${verb} ${object}`) {
    case 'add chain':
      // A chain with a spec is a base chain: full syncs only.
      return rest.length === 0
        ? [message(NFT_MSG.NEWCHAIN, NLM_F_CREATE, [tableAttr, attr.str(3, name)])]
        : undefined;
    case 'flush chain':
      return rest.length === 0
        ? [message(NFT_MSG.DELRULE, 0, [tableAttr, attr.str(2, name)])]
        : undefined;
    case 'delete chain':
      return rest.length === 0
        ? [message(NFT_MSG.DELCHAIN, 0, [tableAttr, attr.str(3, name)])]
        : undefined;
    case 'delete set':
      return rest.length === 0
        ? [message(NFT_MSG.DELSET, 0, [tableAttr, attr.str(2, name)])]
        : undefined;
    case 'add set':
      return affinitySet(tableAttr, name, rest.join(' '), nextSetId());
    case 'add rule':
      return rule(tableAttr, name, rest.join(' '), nextSetId);
    case 'add element':
    case 'delete element':
      return elements(verb === 'add', tableAttr, name, rest.join(' '));
    default:
      return undefined;
  }
}

/** `{ type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }`, the affinity sets' spec. */
function affinitySet(
  tableAttr: Attr,
  name: string,
  spec: string,
  id: number,
): Message[] | undefined {
  const m = /^\{ type ipv4_addr ; flags dynamic,timeout ; timeout (\d+)s ; \}$/.exec(spec);
  if (!m) return undefined;
  return [
    message(NFT_MSG.NEWSET, NLM_F_CREATE, [
      tableAttr,
      attr.str(2, name),
      attr.u32(3, NFT_SET_TIMEOUT | NFT_SET_EVAL),
      attr.u32(4, TYPE_IPADDR),
      attr.u32(5, 4),
      // The kernel wants every new set numbered within its batch.
      attr.u32(10, id),
      attr.u64(11, BigInt(m[1] ?? '0') * 1000n),
      attr.bytes(13, byteorderUserdata(BYTEORDER_BIG_ENDIAN)),
    ]),
  ];
}

function rule(
  tableAttr: Attr,
  chain: string,
  text: string,
  nextSetId: () => number,
): Message[] | undefined {
  const translated = ruleExpressions(text, nextSetId);
  if (!translated) return undefined;
  return [
    ...translated.anonymousMaps.flatMap((map) => anonymousMap(tableAttr, map)),
    message(NFT_MSG.NEWRULE, NLM_F_CREATE | NLM_F_APPEND, [
      tableAttr,
      attr.str(2, chain),
      attr.nest(4, translated.exprs),
    ]),
  ];
}

/** The constant verdict map of a `numgen … vmap { … }`, as nft declares and fills it. */
function anonymousMap(tableAttr: Attr, map: AnonymousMap): Message[] {
  const udata = byteorderUserdata(BYTEORDER_HOST_ENDIAN, 0);
  const name = attr.str(2, '__map%d');
  return [
    message(NFT_MSG.NEWSET, NLM_F_CREATE, [
      tableAttr,
      name,
      attr.u32(3, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_MAP),
      attr.u32(4, TYPE_INTEGER),
      attr.u32(5, 4),
      attr.u32(6, NFT_DATA_VERDICT),
      attr.u32(7, 0),
      attr.nest(9, [attr.u32(1, map.entries.length)]),
      attr.u32(10, map.id),
      attr.bytes(13, udata),
    ]),
    message(NFT_MSG.NEWSETELEM, NLM_F_CREATE, [
      tableAttr,
      name,
      attr.u32(4, map.id),
      attr.nest(
        3,
        map.entries.map((e) => element(hostU32(e.key), e.verdict)),
      ),
    ]),
  ];
}

/** nft's notes on a set (libnftnl's udata TLVs): how to print its keys (and data) back. */
function byteorderUserdata(key: number, data?: number): Buffer {
  return Buffer.concat([
    Buffer.from([NFTNL_UDATA_SET_KEYBYTEORDER, 4]),
    hostU32(key),
    ...(data === undefined ? [] : [Buffer.from([NFTNL_UDATA_SET_DATABYTEORDER, 4]), hostU32(data)]),
  ]);
}

const element = (key: Buffer, verdict: Verdict | undefined): Attr =>
  attr.nest(1, [
    attr.nest(1, [attr.bytes(1, key)]),
    ...(verdict === undefined ? [] : [attr.nest(2, [verdictData(verdict)])]),
  ]);

/** `{ k , k }` or `{ k : verdict , … }` into or out of a named set or map. */
function elements(add: boolean, tableAttr: Attr, set: string, text: string): Message[] | undefined {
  if (!text.startsWith('{ ') || !text.endsWith(' }')) return undefined;
  const items: Attr[] = [];
  for (const item of text.slice(2, -2).split(' , ')) {
    const [keyText, valueText] = item.split(' : ');
    const key = keyText === undefined ? undefined : elementKey(keyText);
    if (!key) return undefined;
    let verdict: Verdict | undefined;
    if (valueText !== undefined) {
      verdict = parseVerdict(valueText.split(' '));
      if (!verdict || !add) return undefined;
    }
    items.push(element(key, verdict));
  }
  return [
    message(add ? NFT_MSG.NEWSETELEM : NFT_MSG.DELSETELEM, add ? NLM_F_CREATE : 0, [
      tableAttr,
      attr.str(2, set),
      attr.nest(3, items),
    ]),
  ];
}

/**
 * A dispatch key: `ip`, `ip . proto . port` or `proto . port`. Concatenated fields each take a
 * multiple of 4 bytes (the registers' granularity), as the kernel stores concatenations.
 */
function elementKey(text: string): Buffer | undefined {
  const fields: Buffer[] = [];
  for (const field of text.split(' . ')) {
    const proto = IP_PROTOCOLS[field];
    const bytes =
      proto !== undefined ? Buffer.from([proto]) : (ipv4Bytes(field) ?? portBytes(field));
    if (!bytes) return undefined;
    fields.push(Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]));
  }
  return Buffer.concat(fields);
}
