/**
 * How much a sync rewrites. `initial`: the first sync of this process — the proxy's own table or
 * chains are replaced whole, so nothing a previous run left behind survives. `full`: every rule
 * rewritten (the periodic resync, and after a failure). `partial`: only the Service ports that
 * changed, plus the dispatch that points at them.
 */
export type SyncKind = 'initial' | 'full' | 'partial';
