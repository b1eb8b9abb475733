// Where docs/lab.md's node steps put a node's runtime, under its $VM_DIR. `lab up` fills that
// store with the demo images before the runtime starts, and `lab down` starts the runtime again
// on it, if it has died, to remove its pods. Keep in step with the doc's `skiff runtime` line.
import { join } from 'node:path';
import type { LabVm } from './lab-record.js';

export const runtimeRootOf = (vm: LabVm): string => join(vm.dir, 'var', 'lib', 'skiff', 'runtime');
export const runtimeSocketOf = (vm: LabVm): string => join(vm.dir, 'run', 'skiff', 'runtime.sock');
export const vmKubeconfigOf = (vm: LabVm): string => join(vm.dir, 'etc', 'skiff', 'kubeconfig');
export const vmResolvConfOf = (vm: LabVm): string => join(vm.dir, 'etc', 'resolv.conf');
