// pods/log before it reaches a kubelet: the options validated with Kubernetes' messages, the
// container defaulted or asked for, an unbound pod refused. (Streaming from a real kubelet is the
// kubelet's end-to-end test, with real kubectl.)
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import { boundPod as bound, pod } from './testing/objects.js';

const pods = '/api/v1/namespaces/default/pods';

describe.each(apiServerBackends())('pods/log on $name storage', (backend) => {
  it('checks the pod, its options and its container before it asks a kubelet', async () => {
    const { client } = await startApi(backend);
    await client.post(pods, pod('pending'));
    await client.post(pods, bound('one', ['app']));
    await client.post(pods, bound('two', ['a', 'b'], ['init']));
    const cases: [string, number, string, string][] = [
      ['nope/log', 404, 'NotFound', 'pods "nope" not found'],
      ['pending/log', 400, 'BadRequest', 'pod pending does not have a host assigned'],
      [
        'two/log',
        400,
        'BadRequest',
        'a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [init]',
      ],
      ['two/log?container=c', 400, 'BadRequest', 'container c is not valid for pod two'],
      ['one/log?tailLines=abc', 400, 'BadRequest', 'tailLines: invalid integer value "abc"'],
      [
        'one/log?tailLines=-1',
        422,
        'Invalid',
        'PodLogOptions "one" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
      ],
      // The only container is the default; the node it names does not exist.
      ['one/log', 404, 'NotFound', 'nodes "n1" not found'],
      ['two/log?container=init', 404, 'NotFound', 'nodes "n1" not found'],
    ];
    for (const [path, code, reason, message] of cases) {
      const res = await client.get(`${pods}/${path}`);
      expect({ path, code: res.status, body: res.body }).toMatchObject({
        path,
        code,
        body: { kind: 'Status', code, reason, message },
      });
    }
  });
});
