// Which packet filter to program: nftables where the kernel and the nft tool support it, as
// Kubernetes' nftables mode; iptables (iptables-restore) otherwise. The choice is logged and
// exported as a metric, so an operator never has to guess.
import { errorMessage } from '@skiff/api';
import type { CommandRunner } from './command.js';

export type ProxyMode = 'nftables' | 'iptables';

export interface ModeChoice {
  readonly mode: ProxyMode;
  /** Why: said in the log. */
  readonly reason: string;
}

/** A check-only transaction: parsed and validated by the kernel, applied nowhere. */
const PROBE =
  'add table ip kube-proxy-probe\nadd chain ip kube-proxy-probe c { type nat hook prerouting priority -100 ; }\n';

export async function nftablesAvailable(run: CommandRunner): Promise<string | undefined> {
  try {
    await run(['nft', '--check', '-f', '-'], PROBE);
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

export async function iptablesAvailable(run: CommandRunner): Promise<string | undefined> {
  try {
    await run(['iptables-restore', '--version']);
    await run(['iptables', '-w', '-t', 'nat', '-S', 'PREROUTING']);
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

/** `requested` is --proxy-mode: empty picks nftables if it works, else iptables. */
export async function chooseMode(
  requested: ProxyMode | undefined,
  run: CommandRunner,
): Promise<ModeChoice> {
  if (requested === 'iptables') {
    const why = await iptablesAvailable(run);
    if (why !== undefined) throw new Error(`--proxy-mode=iptables: iptables is not usable: ${why}`);
    return { mode: 'iptables', reason: 'requested by --proxy-mode' };
  }
  const nftProblem = await nftablesAvailable(run);
  if (requested === 'nftables') {
    if (nftProblem !== undefined)
      throw new Error(`--proxy-mode=nftables: nftables is not usable: ${nftProblem}`);
    return { mode: 'nftables', reason: 'requested by --proxy-mode' };
  }
  if (nftProblem === undefined) return { mode: 'nftables', reason: 'nft works on this kernel' };
  const iptProblem = await iptablesAvailable(run);
  if (iptProblem !== undefined) {
    throw new Error(`neither nftables (${nftProblem}) nor iptables (${iptProblem}) is usable`);
  }
  return { mode: 'iptables', reason: `nftables is not usable (${nftProblem})` };
}
