// kubectl get for custom resources over HTTP on both backends: the Table's columns come from
// the CRD version's additionalPrinterColumns (Name first, then the defined ones; Name and Age
// when none are defined), in lists, single gets and watch events alike.
import type { JSONSchemaProps } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from '../server/testing/api-fixture.js';
import { crdPath, makeCrd, resourcePath, widget } from './testing/crd-fixtures.js';
import { installCrd } from './testing/install.js';
import { firstTableEvents, tableAccept } from './testing/table-watch.js';

const backends = apiServerBackends();
const asTable = { headers: { accept: tableAccept } };

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer' },
        color: { type: 'string' },
        startedAt: { type: 'string', format: 'date-time' },
      },
    },
    status: {
      type: 'object',
      properties: {
        healthy: { type: 'boolean' },
        conditions: {
          type: 'array',
          items: {
            type: 'object',
            properties: { type: { type: 'string' }, status: { type: 'string' } },
          },
        },
      },
    },
  },
};

const columnsCrd = () =>
  makeCrd()
    .schema(schema)
    .printerColumns(
      { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
      { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'Paint' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Healthy', type: 'boolean', jsonPath: '.status.healthy' },
      { name: 'Started', type: 'date', jsonPath: '.spec.startedAt' },
      {
        name: 'Owner',
        type: 'string',
        jsonPath: ".metadata.annotations['example.com/owner']",
        priority: 1,
      },
    )
    .build();

const twentyHoursAgo = (): string => new Date(Date.now() - 20 * 3600_000).toISOString();

const fullWidget = () =>
  widget(
    'full',
    { size: 3, color: 'blue', startedAt: twentyHoursAgo() },
    {
      metadata: { name: 'full', annotations: { 'example.com/owner': 'team-a' } },
      status: {
        healthy: true,
        conditions: [
          { type: 'Synced', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    },
  );

interface TableBody {
  columnDefinitions: { name: string; type: string; priority: number; description: string }[];
  rows: { cells: unknown[] }[];
}

describe.each(backends)('custom resource tables on $name storage', (backend) => {
  it('prints the printer columns, typed, with null for what an object lacks', async () => {
    const { client } = await startApi(backend);
    const crd = columnsCrd();
    await installCrd(client, crd);
    const collection = resourcePath(crd);
    expect((await client.post(collection, fullWidget())).status).toBe(201);
    expect((await client.post(collection, widget('bare', {}))).status).toBe(201);

    const listed = await client.get(collection, asTable);
    expect(listed.status, listed.text).toBe(200);
    const table = listed.body as unknown as TableBody;
    expect(table.columnDefinitions.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Size', 'integer', 0],
      ['Color', 'string', 0],
      ['Ready', 'string', 0],
      ['Healthy', 'boolean', 0],
      ['Started', 'date', 0],
      ['Owner', 'string', 1],
    ]);
    expect(table.columnDefinitions[2]?.description).toBe('Paint');
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['bare', null, null, null, null, null, null],
      ['full', 3, 'blue', 'True', true, '20h', 'team-a'],
    ]);

    const one = await client.get(resourcePath(crd, { name: 'full' }), asTable);
    expect((one.body as unknown as TableBody).rows.map((r) => r.cells)).toEqual([
      ['full', 3, 'blue', 'True', true, '20h', 'team-a'],
    ]);
  });

  it('prints Name and Age when the version defines no columns', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    await client.post(resourcePath(crd), widget('w1', { size: 1 }));

    const table = (await client.get(resourcePath(crd), asTable)).body as unknown as TableBody;
    expect(table.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(table.rows[0]?.cells).toEqual(['w1', expect.stringMatching(/^\d+s$/)]);
  });

  it('uses the printer columns in watch events, as kubectl get -w asks', async () => {
    const { client, url } = await startApi(backend);
    const crd = columnsCrd();
    await installCrd(client, crd);
    await client.post(resourcePath(crd), fullWidget());

    const [event] = await firstTableEvents(`${url}${resourcePath(crd)}?watch=1`, 1);
    expect(event?.type).toBe('ADDED');
    expect(event?.object.columnDefinitions?.map((c) => c.name)).toEqual([
      'Name',
      'Size',
      'Color',
      'Ready',
      'Healthy',
      'Started',
      'Owner',
    ]);
    expect(event?.object.rows?.[0]?.cells).toEqual([
      'full',
      3,
      'blue',
      'True',
      true,
      '20h',
      'team-a',
    ]);
  });

  it('refuses a CRD whose printer column jsonPath does not parse, with its field path', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd()
      .printerColumns(
        { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
        { name: 'Bad', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready"' },
        { name: 'NoDot', type: 'string', jsonPath: 'spec.color' },
      )
      .build();
    const created = await client.post(crdPath(), crd);
    expect(created.status, created.text).toBe(422);
    expect(created.body.reason).toBe('Invalid');
    const causes = (created.body.details as { causes: { field: string; message: string }[] })
      .causes;
    expect(causes.map((c) => c.field)).toEqual([
      'spec.versions[0].additionalPrinterColumns[1].jsonPath',
      'spec.versions[0].additionalPrinterColumns[2].jsonPath',
    ]);
    expect(causes[1]?.message).toBe(
      'Invalid value: "spec.color": must be a simple json path starting with .',
    );
    expect((await client.get(crdPath(crd.metadata.name))).status).toBe(404);
  });
});
