// When a waiting batch reader is woken: once per turn of the event loop, not once per event.
// While the loop is busy (one poll phase can apply many storage events, each fanned out to every
// watcher), events pile up in the watchers' queues; waking the readers once the phase is over
// hands each of them everything at once, so a busy server writes one chunk per socket per turn
// instead of one per event. This is not a timer that waits for more: setImmediate runs as soon as
// the current turn's I/O callbacks are done, so an idle server delivers as promptly as before,
// and the busier it is, the larger (and cheaper per event) its batches become.

let due: (() => void)[] = [];

/** Runs `flush` once the event loop's current turn is done (with every other flush due then). */
export function flushAfterThisTurn(flush: () => void): void {
  if (due.length === 0) setImmediate(flushDue);
  due.push(flush);
}

function flushDue(): void {
  const flushes = due;
  due = [];
  for (const flush of flushes) flush();
}
