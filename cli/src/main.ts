#!/usr/bin/env -S node --max-semi-space-size=8 --v8-pool-size=1
// The `skiff` command: a small dispatcher. Each subcommand lives in ./commands/ as one file
// exporting a Command; adding one is adding a file and a line in ./commands/index.ts.
import { errorMessage } from '@skiff/api';
import { commands } from './commands/index.js';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: skiff <command> [flags]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`skiff: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(args);
}

// While the command runs, the process stays open. Its waits (a retry after a refused
// connection, the client's rate limiter, a poll) run on realClock, whose timers are unref'd so
// that a pending timer never keeps a server alive; a command between two attempts would
// otherwise leave Node nothing to wait for and exit 0 having done nothing — as `skiff apply`
// did in a lab on a busy machine, leaving kube-dns never created.
const holdOpen = setInterval(() => undefined, 2 ** 30);

main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`skiff: ${errorMessage(err)}\n`);
      process.exitCode = 1;
    },
  )
  .finally(() => clearInterval(holdOpen));
