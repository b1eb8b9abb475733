// Public entry of @skiff/cli. The package is the `skiff` command (src/main.ts, one file per
// subcommand in src/commands/); nothing is exported for other packages yet.
export {};
