// `skiff up`'s progress lines: each step says what it starts and what it waits for, then how it
// went and how long it took, so a slow or stuck start shows exactly where it is.
import { errorMessage } from '@skiff/api';

export class Progress {
  private readonly started = performance.now();

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  /** Milliseconds since `skiff up` began. */
  elapsedMs(): number {
    return performance.now() - this.started;
  }

  line(text: string): void {
    this.out.write(`${text}\n`);
  }

  async step<T>(what: string, waitingFor: string, run: () => Promise<T>): Promise<T> {
    const begin = performance.now();
    this.out.write(`• ${what} — waiting for ${waitingFor} … `);
    try {
      const result = await run();
      this.out.write(`ok (${seconds(performance.now() - begin)})\n`);
      return result;
    } catch (err) {
      this.out.write(`failed\n`);
      throw new Error(`${what}: ${errorMessage(err)}`, { cause: err });
    }
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
