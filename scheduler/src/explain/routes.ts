// GET /debug/decisions            → { items: [summary, …] }, newest first
// GET /debug/decisions/<ns>/<pod> → the Decision, or 404
// Only the leader decides; a standby answers 503 and names the leader it knows of.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DecisionStore } from './decision-store.js';

export const DECISIONS_PATH = '/debug/decisions';

export interface DecisionsRouteOptions {
  readonly store: DecisionStore;
  readonly isLeader: () => boolean;
  readonly leader: () => string | undefined;
}

export function decisionsRoute(
  options: DecisionsRouteOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const json = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { message: 'only GET is supported' });
    if (!options.isLeader()) {
      const leader = options.leader();
      return json(503, {
        message: `this scheduler is not the leader and has no decisions; ask the leader${leader ? `: ${leader}` : ''}`,
        leader: leader ?? null,
      });
    }
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    if (path === DECISIONS_PATH || path === `${DECISIONS_PATH}/`) {
      return json(200, { items: options.store.list() });
    }
    const rest = path.slice(DECISIONS_PATH.length + 1).split('/');
    const [namespace, name] = rest;
    if (rest.length !== 2 || !namespace || !name) {
      return json(404, { message: `want ${DECISIONS_PATH}/<namespace>/<pod>` });
    }
    const decision = options.store.get(`${namespace}/${name}`);
    if (!decision) return json(404, { message: `no decision kept for pod ${namespace}/${name}` });
    return json(200, decision);
  };
}
