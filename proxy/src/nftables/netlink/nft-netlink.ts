// Partial syncs straight to the kernel: the transaction text a partial sync would give `nft -f`,
// sent as one nf_tables batch on a netlink socket the proxy keeps. Atomic like nft's (one
// batch, committed or aborted whole), checked message by message: every command asks for an
// acknowledgement, and any error the kernel reports fails the sync with the command it refused,
// as nft's error would — the proxier then retries with a full sync through nft.
import { batchBuffer, batchCommands } from './batch.js';
import { describeErrno, NetfilterSocket } from './socket.js';

export type NetlinkApplied = 'applied' | 'untranslatable';

export class NftNetlinkError extends Error {}

export class NftNetlink {
  /** Sequence numbers go up across batches, so a late reply is never taken for a new one's. */
  private seq = 1;

  private constructor(private readonly socket: NetfilterSocket) {}

  /** In `netns` (a name under /run/netns), or in this process's network namespace. */
  static async open(netns?: string): Promise<NftNetlink> {
    return new NftNetlink(await NetfilterSocket.open(netns));
  }

  /** Applies `text` (ruleset.ts's partial transaction); 'untranslatable': nothing was sent. */
  async apply(text: string): Promise<NetlinkApplied> {
    const commands = batchCommands(text);
    if (commands === undefined) return 'untranslatable';
    if (commands.length === 0) return 'applied';
    const begin = this.seq;
    const first = begin + 1;
    const end = first + commands.length;
    this.seq = end + 1;
    const replies = await this.socket.exchange(batchBuffer(commands, first));
    const acked = new Set<number>();
    const refused: string[] = [];
    for (const reply of replies) {
      if (reply.seq < begin || reply.seq > end || reply.error === undefined) continue;
      if (reply.error === 0) {
        acked.add(reply.seq);
        continue;
      }
      const command = commands[reply.seq - first];
      // The batch's own header answers for the commit (e.g. a loop found while validating).
      const what = command ? command.line : 'the commit of the transaction';
      refused.push(`${describeErrno(reply.error)}: ${what}`);
    }
    if (refused.length > 0)
      throw new NftNetlinkError(`nf_tables refused the change: ${refused.slice(0, 5).join('; ')}`);
    if (acked.size !== commands.length)
      throw new NftNetlinkError(
        `nf_tables acknowledged ${acked.size} of ${commands.length} commands of the change`,
      );
    return 'applied';
  }

  close(): void {
    this.socket.close();
  }
}
