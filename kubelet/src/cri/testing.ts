// A CRI runtime for unit tests of code that only asks about the runtime's version and health
// (node status): it answers Version and Status from fields a test sets. Everything that would
// run containers throws, so a test that strays there fails loudly.
import type { RuntimeStatus__Output, VersionResponse__Output } from '@skiff/proto';
import type { RuntimeService } from './runtime-service.js';

export class StatusOnlyRuntime implements RuntimeService {
  runtimeVersion: VersionResponse__Output = {
    version: '0.1.0',
    runtime_name: 'skiff',
    runtime_version: '0.1.0',
    runtime_api_version: 'v1',
  };
  networkReady = true;
  /** The pod CIDRs UpdateRuntimeConfig was called with, in order. */
  readonly podCidrs: string[] = [];

  updateRuntimeConfig(podCidr: string): Promise<void> {
    this.podCidrs.push(podCidr);
    return Promise.resolve();
  }
  down: Error | undefined;

  version(): Promise<VersionResponse__Output> {
    if (this.down) return Promise.reject(this.down);
    return Promise.resolve(this.runtimeVersion);
  }

  status(): Promise<RuntimeStatus__Output> {
    if (this.down) return Promise.reject(this.down);
    return Promise.resolve({
      conditions: [
        { type: 'RuntimeReady', status: true, reason: '', message: '' },
        {
          type: 'NetworkReady',
          status: this.networkReady,
          reason: this.networkReady ? '' : 'NetworkPluginNotReady',
          message: this.networkReady ? '' : 'no bridge',
        },
      ],
    });
  }

  private unsupported(): Promise<never> {
    return Promise.reject(new Error('StatusOnlyRuntime runs no pods'));
  }

  runPodSandbox = (): Promise<string> => this.unsupported();
  stopPodSandbox = (): Promise<void> => this.unsupported();
  removePodSandbox = (): Promise<void> => this.unsupported();
  podSandboxStatus = (): Promise<never> => this.unsupported();
  listPodSandbox = (): Promise<never> => this.unsupported();
  createContainer = (): Promise<string> => this.unsupported();
  startContainer = (): Promise<void> => this.unsupported();
  stopContainer = (): Promise<void> => this.unsupported();
  removeContainer = (): Promise<void> => this.unsupported();
  listContainers = (): Promise<never> => this.unsupported();
  containerStatus = (): Promise<never> => this.unsupported();
  execSync = (): Promise<never> => this.unsupported();
}
