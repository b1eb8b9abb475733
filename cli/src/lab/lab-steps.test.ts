import { describe, expect, it } from 'vitest';
import { parseLabSteps, readLabSteps } from './lab-steps.js';

const fence = '```';

describe('parseLabSteps', () => {
  it('reads only skiff-lab blocks, in order, with where and how each runs', () => {
    const steps = parseLabSteps(
      [
        '# title',
        `${fence}sh`,
        'echo not a step',
        fence,
        `${fence}sh skiff-lab vm=control-plane run=background name=apiserver`,
        'skiff apiserver --bind $CONTROL_PLANE_IP \\',
        '  --port 6443',
        fence,
        `${fence}sh skiff-lab vm=nodes`,
        'mkdir -p $VM_DIR/x',
        'touch $VM_DIR/x/y',
        fence,
      ].join('\n'),
    );
    expect(steps).toEqual([
      {
        vm: 'control-plane',
        background: 'apiserver',
        script: 'skiff apiserver --bind $CONTROL_PLANE_IP \\\n  --port 6443',
        line: 6,
      },
      { vm: 'nodes', script: 'mkdir -p $VM_DIR/x\ntouch $VM_DIR/x/y', line: 10 },
    ]);
  });

  it.each([
    [`${fence}sh skiff-lab vm=moon\nx\n${fence}`, 'vm= must be one of'],
    [`${fence}sh skiff-lab vm=all\nx\n`, 'never closed'],
    [`${fence}sh skiff-lab vm=all\n${fence}`, 'empty'],
    [`${fence}sh skiff-lab vm=all run=later\nx\n${fence}`, 'only run=background'],
    [`${fence}sh skiff-lab vm=all run=background\nx\n${fence}`, 'needs name='],
    [`${fence}sh skiff-lab vm=all run=background name=a\nx\ny\n${fence}`, 'one command'],
    ['no blocks at all', 'has no'],
  ])('refuses %j', (text, message) => {
    expect(() => parseLabSteps(text, 'doc.md')).toThrow(message);
  });
});

describe("docs/lab.md's steps", () => {
  it('start every component a VM of the lab runs, each with its node flags', async () => {
    const steps = await readLabSteps();
    const background = steps.filter((s) => s.background !== undefined);
    expect(background.map((s) => [s.vm, s.background])).toEqual([
      ['control-plane', 'apiserver'],
      ['control-plane', 'scheduler'],
      ['control-plane', 'controller-manager'],
      ['control-plane', 'dns'],
      ['nodes', 'runtime'],
      ['nodes', 'kubelet'],
      ['nodes', 'proxy'],
      ['nodes', 'podnet'],
    ]);
    for (const step of background) {
      expect(step.script).toMatch(new RegExp(`^skiff ${step.background ?? ''} `));
      // Every path a component writes is under the VM's own directory.
      for (const path of step.script.match(/\s\/[^\s]*/g) ?? []) expect(path).toBe('');
    }
    const nodeFlags = background.filter((s) => s.vm === 'nodes').map((s) => s.script);
    expect(nodeFlags.join('\n')).toContain('--hostname-override $NODE_NAME --node-ip $NODE_IP');
    expect(nodeFlags.join('\n')).toContain('--routing $ROUTING');
  });
});
