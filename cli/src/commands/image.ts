// `skiff image <verb>`: image commands for skiff runtime's store. Pulling, listing and removing
// go through CRI (crictl pull/images/rmi work against skiff runtime); importing a tarball has no
// CRI method, so it lives here.
import type { Command } from './command.js';
import { imageImport, imageImportHelp } from './image-import.js';

const verbs: Readonly<Record<string, (args: string[]) => Promise<number>>> = {
  import: imageImport,
};

const help = `usage: skiff image <verb> [flags]

verbs:
  import   load an OCI layout or docker-archive tarball into skiff runtime

${imageImportHelp}`;

export const imageCommand: Command = {
  async run(args) {
    const [verb, ...rest] = args;
    if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
      process.stdout.write(help);
      return verb === undefined ? 2 : 0;
    }
    const run = verbs[verb];
    if (run === undefined) {
      process.stderr.write(`skiff image: unknown verb "${verb}"\n\n${help}`);
      return 2;
    }
    return run(rest);
  },
};
