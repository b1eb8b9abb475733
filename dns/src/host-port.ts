// Addresses as flags spell them: `10.0.0.2`, `10.0.0.2:5353`, `fd00::2`, `[fd00::2]:5353`.
import { isIP } from 'node:net';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** An IP address with an optional port (`defaultPort` if none); throws naming the text. */
export function parseHostPort(text: string, defaultPort: number): HostPort {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const hostPort = /^([^:]+):(\d+)$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : hostPort
      ? [hostPort[1] ?? '', hostPort[2]]
      : [text, undefined];
  const number = port === undefined ? defaultPort : Number(port);
  if (isIP(host) === 0 || !Number.isInteger(number) || number < 0 || number > 65535) {
    throw new Error(`${JSON.stringify(text)}: want an IP address, optionally with :port`);
  }
  return { host, port: number };
}

export function formatHostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
