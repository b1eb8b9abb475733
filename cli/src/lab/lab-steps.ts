// The steps `skiff lab up` runs: the shell blocks of docs/lab.md marked `skiff-lab`, in order, so
// the lab follows exactly what a user types on real VMs and the page is tested by every lab.
// A block's info string says where it runs and how:
//
//   ```sh skiff-lab vm=control-plane|nodes|all [run=background name=<component>]
//
// A background block is one long-running command (a component); any other block runs to its
// end before the next one starts.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type StepTarget = 'control-plane' | 'nodes' | 'all';

export interface LabStep {
  readonly vm: StepTarget;
  /** The component's name when the block keeps running in the background. */
  readonly background?: string;
  readonly script: string;
  /** 1-based line of the block's first script line, for error messages. */
  readonly line: number;
}

/** docs/lab.md of this checkout (the CLI runs from its workspace, source or dist alike). */
export const DEFAULT_STEPS_FILE = fileURLToPath(new URL('../../../docs/lab.md', import.meta.url));

const TARGETS: readonly StepTarget[] = ['control-plane', 'nodes', 'all'];

function attributes(info: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const word of info.split(/\s+/).slice(2)) {
    const eq = word.indexOf('=');
    if (eq > 0) map.set(word.slice(0, eq), word.slice(eq + 1));
    else map.set(word, '');
  }
  return map;
}

/** The `skiff-lab` blocks of a markdown text; throws naming the line of a malformed one. */
export function parseLabSteps(markdown: string, source = 'the steps file'): LabStep[] {
  const lines = markdown.split('\n');
  const steps: LabStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const info = (lines[i] ?? '').trim();
    if (!/^```sh\s+skiff-lab(\s|$)/.test(info)) continue;
    const where = `${source}:${i + 1}`;
    const attrs = attributes(info);
    const vm = TARGETS.find((t) => t === attrs.get('vm'));
    if (vm === undefined) throw new Error(`${where}: vm= must be one of ${TARGETS.join(', ')}`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && (lines[j] ?? '').trim() !== '```'; j++) body.push(lines[j] ?? '');
    if (j === lines.length) throw new Error(`${where}: the block is never closed`);
    const script = body.join('\n').trim();
    if (script === '') throw new Error(`${where}: the block is empty`);
    const run = attrs.get('run');
    if (run !== undefined && run !== 'background') {
      throw new Error(`${where}: run=${run}: only run=background exists`);
    }
    const name = attrs.get('name');
    if (run === 'background') {
      if (name === undefined || !/^[a-z][a-z0-9-]*$/.test(name)) {
        throw new Error(`${where}: a background block needs name=<component>`);
      }
      // Started as `exec <script>`, so the component itself is the process the lab records.
      if (/\n(?!\s)/.test(script.replace(/\\\n/g, ' '))) {
        throw new Error(`${where}: a background block holds one command`);
      }
    }
    steps.push({ vm, ...(run === 'background' && { background: name }), script, line: i + 2 });
    i = j;
  }
  if (steps.length === 0) throw new Error(`${source} has no \`\`\`sh skiff-lab blocks`);
  return steps;
}

export async function readLabSteps(file: string = DEFAULT_STEPS_FILE): Promise<LabStep[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the lab's steps from ${file} (--steps to choose another)`, {
      cause: err,
    });
  }
  return parseLabSteps(text, file);
}
