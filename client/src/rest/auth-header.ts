// The Authorization header from the configured credentials. A token file is re-read at most
// once a minute: service account tokens mounted from a projected volume rotate underneath a
// long-running controller, and a client that read the file once would start failing with 401.
import { readFile } from 'node:fs/promises';
import type { Clock } from '@skiff/api';
import type { Credentials } from './config.js';

const TOKEN_FILE_REFRESH_MS = 60_000;

export class AuthHeader {
  private cached: { token: string; readAt: number } | undefined;

  constructor(
    private readonly credentials: Credentials,
    private readonly clock: Clock,
  ) {}

  async value(): Promise<string | undefined> {
    const { token, tokenFile, username, password } = this.credentials;
    if (token) return `Bearer ${token}`;
    if (tokenFile) return `Bearer ${await this.fileToken(tokenFile)}`;
    if (username !== undefined || password !== undefined) {
      const pair = `${username ?? ''}:${password ?? ''}`;
      return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    }
    return undefined;
  }

  private async fileToken(path: string): Promise<string> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.readAt < TOKEN_FILE_REFRESH_MS) return this.cached.token;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`reading the token file ${path}`, { cause: err });
    }
    this.cached = { token: text.trim(), readAt: now };
    return this.cached.token;
  }
}
