// The shared CRI suite against containerd 1.6 + runc: the reference the suite is checked on.
import { describe } from 'vitest';
import { containerdUnavailable, startContainerdTarget } from './containerd-target.js';
import { defineCriSuite, skipCriSuite } from './suite.js';

describe.skipIf(skipCriSuite('containerd', containerdUnavailable()))(
  'CRI suite: containerd',
  () => {
    defineCriSuite(startContainerdTarget);
  },
);
