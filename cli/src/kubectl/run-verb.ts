// The frame every kubectl-like verb runs in: parse its flags (kubectl's errors, exit 1), connect
// with the connection flags, run, and turn any failure into kubectl's error text and exit code.
// The connection is closed whatever happens, so the process exits as soon as the verb is done.
import type { ParseArgsConfig } from 'node:util';
import { connect, type Connection } from './connection.js';
import { reportError } from './errors.js';
import { parseVerbFlags, type Verb, type VerbFlags } from './verb-flags.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface VerbContext<O extends Options> {
  readonly flags: VerbFlags<O>['values'];
  readonly args: readonly string[];
  readonly conn: Connection;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

/** Where a verb writes; tests run verbs in-process with their own. */
export interface VerbIO {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

export interface VerbCommand {
  run(args: string[], io?: VerbIO): Promise<number>;
}

export function verbCommand<O extends Options>(
  verb: Verb<O>,
  body: (ctx: VerbContext<O>) => Promise<number>,
): VerbCommand {
  return localVerbCommand(verb, async (ctx) => {
    const conn = await connect(ctx.flags);
    try {
      return await body({ ...ctx, conn });
    } finally {
      conn.close();
    }
  });
}

/** A verb that needs no cluster (config, new): the same flags, errors and exit codes. */
export function localVerbCommand<O extends Options>(
  verb: Verb<O>,
  body: (ctx: Omit<VerbContext<O>, 'conn'>) => Promise<number>,
): VerbCommand {
  return {
    async run(argv: string[], io: VerbIO = { out: process.stdout, err: process.stderr }) {
      try {
        const parsed = parseVerbFlags(verb, argv, io.out);
        if (!parsed) return 0;
        return await body({ flags: parsed.values, args: parsed.positionals, ...io });
      } catch (err) {
        return reportError(err, io.err);
      }
    },
  };
}
