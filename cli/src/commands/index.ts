// Every `skiff` subcommand, by name.
import { apiserverCommand } from './apiserver.js';
import type { Command } from './command.js';
import { imageCommand } from './image.js';
import { runtimeCommand } from './runtime.js';

export const commands: Readonly<Record<string, Command>> = {
  apiserver: apiserverCommand,
  image: imageCommand,
  runtime: runtimeCommand,
};
