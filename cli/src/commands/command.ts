// The shape every subcommand has: a one-line summary for `skiff help` and a run function that
// takes the arguments after the command name and resolves with the exit code.
export interface Command {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}
