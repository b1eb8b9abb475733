// Public entry of @skiff/proxy: the Service data plane (kube-proxy's role). startProxy() runs it;
// the pure rule generators are exported for the benchmark and for readers who want to see what
// a Service becomes in nftables or iptables.
export {
  startProxy,
  cleanupProxyRules,
  type ProxyHandle,
  type StartProxyOptions,
} from './start-proxy.js';
export type { ProxyMode } from './proxier/mode.js';
export { servicePortsOf, type ServicePortInfo } from './model/service-port.js';
export { endpointsBySlices, type EndpointInfo } from './model/endpoint.js';
export { planServicePort, type ServicePortPlan } from './model/plan.js';
export type { RuleContext } from './model/context.js';
export type { SyncKind } from './model/sync-kind.js';
export { nftServiceFragment, type NftFragment } from './nftables/fragment.js';
export { nftBaseFragment } from './nftables/base.js';
export { NftRuleset } from './nftables/ruleset.js';
export { iptablesServiceFragment, type IptablesFragment } from './iptables/fragment.js';
export { IptablesRuleset } from './iptables/ruleset.js';
export { NftablesBackend } from './nftables/backend.js';
export { IptablesBackend } from './iptables/backend.js';
export { commandRunner, type CommandRunner } from './proxier/command.js';
// kube-proxy's BoundedFrequencyRunner; the pod network (@skiff/podnet) runs its syncs with it too.
export {
  SyncRunner,
  type SyncFailurePolicy,
  type SyncRunnerOptions,
} from './proxier/sync-runner.js';
export type { ProxyBackend } from './proxier/backend.js';
// The small HTTP server behind --healthz-bind-address and --metrics-bind-address; podnet's too.
export { serve, parseBindAddress, type Route, type RunningServer } from './server/http-server.js';
