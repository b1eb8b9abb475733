import { describe, expect, it } from 'vitest';
import { nftChanges, NFT_CHANGES_CONTEXT } from '../../testing/nft-changes.js';
import { nftBaseFragment } from '../base.js';
import { NftRuleset } from '../ruleset.js';
import { batchBuffer, batchCommands } from './batch.js';

const base = nftBaseFragment(NFT_CHANGES_CONTEXT);

/** The partial transactions of the change run, each as ruleset.ts writes it. */
function partialTexts(): { name: string; text: string }[] {
  const { initial, changes } = nftChanges();
  const ruleset = new NftRuleset();
  ruleset.transaction('initial', base, initial, 0).commit();
  return changes.map(({ name, updates }, i) => {
    const tx = ruleset.transaction('partial', base, updates, (i + 1) * 10_000);
    tx.commit();
    return { name, text: tx.text };
  });
}

describe('batchCommands', () => {
  it.each(partialTexts())('translates every line of a partial sync: $name', ({ text }) => {
    const commands = batchCommands(text);
    expect(commands?.map((c) => c.line)).toEqual(
      // One message per line, plus an anonymous map (declared, filled) per numgen vmap.
      text
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => (line.includes(' vmap { ') ? [line, line, line] : [line])),
    );
  });

  it.each([
    ['a base chain', 'add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }'],
    ['a masquerade', 'add rule ip kube-proxy masquerading masquerade fully-random'],
    ['a reject', 'add rule ip kube-proxy reject-chain reject'],
    ['another table', 'add rule ip filter input ip saddr 10.0.0.1 drop'],
    ['another family', 'add rule ip6 kube-proxy x ip6 saddr ::1 drop'],
    ['a whole table', 'flush table ip kube-proxy'],
    ['a dispatch map', 'add map ip kube-proxy m { type ipv4_addr : verdict ; }'],
    ['a prefix of 0', 'add rule ip kube-proxy x ip saddr 0.0.0.0/0 drop'],
    ['a bad address', 'add rule ip kube-proxy x ip saddr 10.0.0.300 drop'],
    [
      'a key out of the modulus',
      'add rule ip kube-proxy x numgen random mod 1 vmap { 1 : goto y }',
    ],
  ])('leaves the whole text to nft when it holds %s', (_, line) => {
    expect(batchCommands(`add chain ip kube-proxy x\n${line}\n`)).toBeUndefined();
  });

  it('frames the commands with batch begin and end, numbered in order', () => {
    const commands = batchCommands('add chain ip kube-proxy a\nflush chain ip kube-proxy a\n');
    const batch = batchBuffer(commands ?? [], 7);
    const headers: { type: number; seq: number }[] = [];
    for (let at = 0; at < batch.length;) {
      const len = batch.readUInt32LE(at);
      headers.push({ type: batch.readUInt16LE(at + 4), seq: batch.readUInt32LE(at + 8) });
      at += len;
    }
    expect(headers).toEqual([
      { type: 0x10, seq: 6 },
      { type: 0x0a03, seq: 7 },
      { type: 0x0a08, seq: 8 },
      { type: 0x11, seq: 9 },
    ]);
  });
});
