// DefaultBinder (Bind): POST a Binding to the pod's `binding` subresource. The apiserver sets
// spec.nodeName only if it is still empty (a compare-and-set), so a pod is bound at most once
// even when two schedulers race; the loser's 409 comes back here as an Error status carrying
// the ApiError, and the scheduler decides what a 409 means.
import type { Binding, Pod } from '@skiff/api';
import {
  asErrorStatus,
  type BindPlugin,
  type CycleState,
  type Handle,
  type PluginFactory,
  type Status,
} from '../framework/index.js';

export class DefaultBinder implements BindPlugin {
  static readonly pluginName = 'DefaultBinder';
  static readonly factory: PluginFactory = (_args, handle) => new DefaultBinder(handle);
  readonly name = DefaultBinder.pluginName;

  constructor(private readonly handle: Handle) {}

  async bind(
    _state: CycleState,
    pod: Readonly<Pod>,
    nodeName: string,
  ): Promise<Status | undefined> {
    const binding: Binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: {
        name: pod.metadata.name ?? '',
        namespace: pod.metadata.namespace ?? '',
        uid: pod.metadata.uid ?? '',
      },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await this.handle.client
        .pods(pod.metadata.namespace ?? '')
        .createSubresource(pod.metadata.name ?? '', 'binding', binding);
      return undefined;
    } catch (err) {
      return asErrorStatus(err);
    }
  }
}
