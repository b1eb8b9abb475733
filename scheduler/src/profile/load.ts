// Reading `--config`: a YAML (or JSON) file holding one KubeSchedulerConfiguration.
import { errorMessage } from '@skiff/api';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError } from '../framework/index.js';
import { decodeSchedulerConfig, type SchedulerConfig } from './config.js';

export async function loadSchedulerConfig(path: string): Promise<SchedulerConfig> {
  const text = await readFile(path, 'utf8');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError('', `not valid YAML: ${errorMessage(err)}`);
  }
  return decodeSchedulerConfig(doc);
}
