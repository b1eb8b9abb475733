// Flag parsing for the kubectl-like verbs: kubectl's flags may come anywhere on the line, a bad
// one is `error: unknown flag: --x` plus where to read the usage, exit 1 (kubectl's code, not
// the component commands' 2), and every verb takes the connection flags.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '@skiff/api';
import { connectionOptions } from './connection.js';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Verb<O extends Options> {
  /** `get`, `rollout status`: as the user types it. */
  readonly name: string;
  readonly usage: string;
  readonly options: O;
}

export type VerbFlags<O extends Options> = ReturnType<
  typeof parseArgs<{
    options: O & typeof connectionOptions & { help: { type: 'boolean'; short: 'h' } };
    allowPositionals: true;
    strict: true;
  }>
>;

/** Parsed flags, or undefined when --help was asked for and the usage printed. */
export function parseVerbFlags<O extends Options>(
  verb: Verb<O>,
  args: string[],
  out: NodeJS.WritableStream = process.stdout,
): VerbFlags<O> | undefined {
  const options = {
    ...verb.options,
    ...connectionOptions,
    help: { type: 'boolean', short: 'h' },
  } as O & typeof connectionOptions & { help: { type: 'boolean'; short: 'h' } };
  let parsed: VerbFlags<O>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(
      `error: ${kubectlFlagMessage(errorMessage(err))}\nSee 'skiff ${verb.name} --help' for usage.`,
    );
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    out.write(verb.usage);
    return undefined;
  }
  return parsed;
}

/** node's "Unknown option '--x'" in kubectl's words. */
function kubectlFlagMessage(message: string): string {
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message);
  if (unknown?.[1]) {
    const flag = unknown[1];
    return flag.startsWith('--')
      ? `unknown flag: ${flag}`
      : `unknown shorthand flag: '${flag.slice(1)}' in ${flag}`;
  }
  return message;
}
