// /readyz: ready only once the store answers and start-up (bootstrap, caches) has finished, so
// a load balancer never sends traffic to an apiserver that would fail it. /livez only asks
// whether the process can answer at all.
import { errorMessage } from '@skiff/api';
import type { Storage } from '../storage/index.js';

const STORE_CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly reason?: string;
}

export class Readiness {
  private synced = false;

  constructor(private readonly storage: Storage) {}

  markSynced(): void {
    this.synced = true;
  }

  async check(): Promise<CheckResult[]> {
    return [{ name: 'ping', ok: true }, await this.storeCheck(), this.syncCheck()];
  }

  private syncCheck(): CheckResult {
    return this.synced
      ? { name: 'informer-sync', ok: true }
      : { name: 'informer-sync', ok: false, reason: 'start-up has not finished' };
  }

  private async storeCheck(): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 2s')), STORE_CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.storage.currentRevision(), timeout]);
      return { name: 'storage', ok: true };
    } catch (err) {
      return {
        name: 'storage',
        ok: false,
        reason: errorMessage(err),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
