// A FakeClock that can model a paused process: jump() moves "now" forward at once without
// firing any timer, as a process stopped by SIGSTOP or a long GC pause sees it on waking: the
// wall clock has moved on, and code that reads it runs before any timer callback does.
import { FakeClock } from '@skiff/api/testing';

export class ResumableClock extends FakeClock {
  private skippedMs = 0;

  override now(): number {
    return super.now() + this.skippedMs;
  }

  /** The process was paused for `ms`: time moves on, timers will fire only when advanced. */
  jump(ms: number): void {
    this.skippedMs += ms;
  }
}
