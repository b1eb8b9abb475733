// What Go CRI clients send that grpc-js clients never do. Kubernetes' CRI client up to 1.30
// (the kubelet, crictl, critest) dials the unix socket with the socket's path as the HTTP/2
// `:authority`; a runtime must answer that like any other call.
import { runtimeServiceDefinition } from '@skiff/proto';
import { expect, it } from 'vitest';
import type { CriTarget } from '../cri-target.js';
import { callWithAuthority } from '../go-style-call.js';

export function goClientCases(target: () => CriTarget): void {
  it.each([
    { authority: () => target().socket, what: "the socket's path" },
    { authority: () => 'localhost', what: 'localhost' },
  ])(
    'answers Version with $what as the :authority, three times on one connection',
    async ({ authority }) => {
      const version = runtimeServiceDefinition().Version;
      const answers = await callWithAuthority(
        target().socket,
        authority(),
        version.path,
        version.requestSerialize({ version: 'v1' }),
        { times: 3 },
      );
      for (const answer of answers) {
        expect(answer).toMatchObject({ httpStatus: 200, grpcStatus: '0' });
        expect(version.responseDeserialize(answer.message)).toMatchObject({
          runtime_name: target().name,
          runtime_api_version: 'v1',
        });
      }
    },
  );
}
