// The shape every subcommand has: a run function that takes the arguments after the command
// name and resolves with the exit code. (Its summary for `skiff help` is in ./index.ts, so help
// needs no command loaded.)
export interface Command {
  run(args: string[]): Promise<number>;
}
