// Flag parsing every `skiff` subcommand shares: a bad flag prints why and the usage and exits 2,
// `--help` prints the usage and exits 0, so each command only says which flags it has.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '@skiff/api';

export type ParsedFlags<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * `config` as node's parseArgs takes it, with a `help` boolean among its options. Returns the
 * parsed flags, or the exit code once the usage has been printed.
 */
export function parseFlags<T extends ParseArgsConfig>(
  command: string,
  usage: string,
  config: T,
): ParsedFlags<T> | number {
  let parsed: ParsedFlags<T>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    process.stderr.write(`${command}: ${errorMessage(err)}\n\n${usage}`);
    return 2;
  }
  // The values' type is computed from T, which is open here; every caller declares `help`.
  if ((parsed.values as { help?: unknown }).help === true) {
    process.stdout.write(usage);
    return 0;
  }
  return parsed;
}

/** A TCP port number from the text given to `flag`; throws, naming the flag, if it is not one. */
export function parsePort(flag: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new Error(`${flag} ${JSON.stringify(text)}: not a port number`);
  return port;
}
