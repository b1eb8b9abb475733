// Every `skiff` subcommand, by name.
import { apiserverCommand } from './apiserver.js';
import type { Command } from './command.js';
import { controllerManagerCommand } from './controller-manager.js';
import { imageCommand } from './image.js';
import { kubeletCommand } from './kubelet.js';
import { runtimeCommand } from './runtime.js';
import { schedulerCommand } from './scheduler.js';
import { upCommand } from './up.js';

export const commands: Readonly<Record<string, Command>> = {
  apiserver: apiserverCommand,
  'controller-manager': controllerManagerCommand,
  image: imageCommand,
  kubelet: kubeletCommand,
  runtime: runtimeCommand,
  scheduler: schedulerCommand,
  up: upCommand,
};
