// client-go's pager over any ResourceClient's list: every item, page by page, from one snapshot,
// starting over unpaged if that snapshot is compacted midway (410).
import { isGone, type List } from '@skiff/api';
import type { ListOptions } from './options.js';

/** Page size listAll asks for, as client-go's pager does. */
export const DEFAULT_PAGE_SIZE = 500;

export async function listAllPages<T>(
  list: (options: ListOptions) => Promise<List<T>>,
  options: ListOptions = {},
): Promise<List<T>> {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  const first = await list({ ...options, limit });
  const items = [...first.items];
  let page = first;
  while (page.metadata.continue) {
    try {
      page = await list({ ...options, limit, continue: page.metadata.continue });
    } catch (err) {
      if (!isGone(err)) throw err;
      const { limit: _limit, continue: _continue, ...unpaged } = options;
      return list(unpaged);
    }
    items.push(...page.items);
  }
  return { ...page, metadata: { resourceVersion: page.metadata.resourceVersion }, items };
}
