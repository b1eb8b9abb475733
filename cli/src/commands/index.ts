// Every `skiff` subcommand, by name.
import { apiserverCommand } from './apiserver.js';
import type { Command } from './command.js';

export const commands: Readonly<Record<string, Command>> = {
  apiserver: apiserverCommand,
};
