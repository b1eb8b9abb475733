// The shared CRI suite against `skiff runtime`, started as a real child process, plus the cases
// only skiff can be asked about (restart, registry pull, import, health).
import { describe } from 'vitest';
import { skiffHostPortCases } from './cases/skiff-host-ports.js';
import { skiffOnlyCases } from './cases/skiff-only.js';
import { skiffSecurityDefaultCases } from './cases/skiff-security-defaults.js';
import { skiffUnavailable, startSkiffTarget } from './skiff-target.js';
import { defineCriSuite, skipCriSuite } from './suite.js';

describe.skipIf(skipCriSuite('skiff', skiffUnavailable()))('CRI suite: skiff runtime', () => {
  defineCriSuite(startSkiffTarget, (suite) => {
    describe('skiff only', () => skiffOnlyCases(suite));
    describe('skiff security defaults', () => skiffSecurityDefaultCases(suite.target));
    describe('skiff host ports', () => skiffHostPortCases(suite.target));
  });
});
