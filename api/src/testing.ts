// Test-only entry of @skiff/api: `@skiff/api/testing`. A clock that moves only when a test says
// so, and object fixture builders in kube-scheduler's st.MakePod() style:
//   makePod().name('a').namespace('ns').node('n1').requests({ cpu: '1', memory: '1Gi' }).obj()
// Nothing here is part of the object model a component runs with, and nothing here imports
// vitest, so a benchmark or an e2e driver can use it as well as a test.
export { FakeClock } from './clock/testing/fake-clock.js';
export * from './testing/builders/index.js';
export { eventually, type EventuallyOptions } from './testing/eventually.js';
export {
  roundTrip,
  selfSignedTestCertificate,
  sendUpgrade,
  type UpgradeAnswer,
} from './net/testing.js';
export { askUdp, udpNameServer } from './net/udp-testing.js';
