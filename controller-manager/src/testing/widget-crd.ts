// A namespaced custom resource for integration tests that need one (example.com/v1 Widget, any
// fields): installed through the apiserver and waited for until it is served.
import type { CustomResourceDefinition } from '@skiff/api';
import type { Client } from '@skiff/client';
import { eventually } from './cluster.js';

export const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' } as const;

export const widgetCrd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    ],
  },
};

/** Creates the Widget CRD and resolves once widgets can be listed. */
export async function installWidgets(client: Client): Promise<void> {
  await client.customResourceDefinitions().create(widgetCrd);
  await eventually(
    () =>
      client
        .resource(widgets, 'default')
        .list()
        .then(
          () => true,
          () => false,
        ),
    (served) => served,
    'widgets served',
  );
}
