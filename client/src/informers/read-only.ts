// Objects in an informer's cache are shared by every consumer in the process: the scheduler's
// queue, three controllers and a lister may all hold the same Pod. If one of them changed it in
// place, the others would see a state the server never had, and the next update sent from that
// object would silently carry the change. So the cache freezes every object it stores (deeply,
// at runtime: a write throws a TypeError in strict-mode code) and hands it out as `Readonly<T>`.
// A controller that wants to change an object clones it first and sends the clone. The freezing
// is @skiff/api's deepFreeze, the one the apiserver's watch cache uses.

/** A writable deep copy of a cached object: what you change and send back to the server. */
export function clone<T>(obj: Readonly<T>): T {
  return structuredClone(obj);
}
