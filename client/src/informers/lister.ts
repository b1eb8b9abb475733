// Listers: the read side of an informer's cache, typed. Reads never touch the network — that is
// the point of an informer: a controller looks objects up as often as it likes, and the
// apiserver sees one watch. What comes back is the cached object itself, read-only (frozen);
// clone() it before changing anything.
import { parseSelector, selectorFromSet, Selector } from '@skiff/api';
import type { KubeObject, LabelSelectorInput } from '../rest/index.js';
import { NAMESPACE_INDEX, type Indexer } from './indexer.js';

export class Lister<T extends KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** Every cached object the label selector matches (everything when omitted). */
  list(selector?: LabelSelectorInput): Readonly<T>[] {
    return matching(this.indexer.list(), selector);
  }

  /**
   * `get('node-1')` for a cluster-scoped object, `get('shop', 'web')` for a namespaced one;
   * undefined when it is not in the cache (client-go answers a NotFound error instead).
   */
  get(namespaceOrName: string, name?: string): Readonly<T> | undefined {
    return this.indexer.get(name === undefined ? namespaceOrName : `${namespaceOrName}/${name}`);
  }

  /** The objects of one namespace (answered from the namespace index, not by a scan). */
  namespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, namespace);
  }
}

export class NamespaceLister<T extends KubeObject> {
  constructor(
    private readonly indexer: Indexer<T>,
    readonly namespace: string,
  ) {}

  list(selector?: LabelSelectorInput): Readonly<T>[] {
    return matching(this.indexer.byIndex(NAMESPACE_INDEX, this.namespace), selector);
  }

  get(name: string): Readonly<T> | undefined {
    return this.indexer.get(`${this.namespace}/${name}`);
  }
}

function matching<T extends KubeObject>(
  objects: Readonly<T>[],
  input: LabelSelectorInput | undefined,
): Readonly<T>[] {
  if (input === undefined) return objects;
  const selector = toSelector(input);
  if (selector.isEverything()) return objects;
  return objects.filter((obj) => selector.matches(obj.metadata?.labels));
}

function toSelector(input: LabelSelectorInput): Selector {
  if (input instanceof Selector) return input;
  if (typeof input === 'string') return parseSelector(input);
  return selectorFromSet(input);
}
