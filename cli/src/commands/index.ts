// Every `skiff` subcommand, by name.
import { apiserverCommand } from './apiserver.js';
import type { Command } from './command.js';
import { controllerManagerCommand } from './controller-manager.js';
import { imageCommand } from './image.js';
import { runtimeCommand } from './runtime.js';

export const commands: Readonly<Record<string, Command>> = {
  apiserver: apiserverCommand,
  'controller-manager': controllerManagerCommand,
  image: imageCommand,
  runtime: runtimeCommand,
};
