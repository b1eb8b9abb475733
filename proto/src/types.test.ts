import { describe, expectTypeOf, it } from 'vitest';
import type {
  ContainerState__Output,
  ContainerStatus__Output,
  ExecSyncResponse__Output,
  PodSandboxConfig,
  RuntimeServiceClient,
  UnaryMethodName,
  UnaryRequest,
  UnaryResponse,
  VersionRequest,
  VersionResponse__Output,
} from './index.js';

// These assertions are checked by tsc (the repo's type-check runs over test files); at run time
// they do nothing. They pin the generated types to the loader options in loader-options.ts: if
// scripts/gen.mjs and loadCri() ever disagree, the build fails here.
describe('generated types agree with the loader options', () => {
  it('types int64 output as a decimal string (longs: String)', () => {
    expectTypeOf<ContainerStatus__Output['created_at']>().toEqualTypeOf<string>();
  });

  it('types enum output as the value names (enums: String)', () => {
    expectTypeOf<ContainerState__Output>().toEqualTypeOf<
      'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN'
    >();
  });

  it('keeps proto field names and fills every output field (keepCase, defaults)', () => {
    expectTypeOf<ContainerStatus__Output>().toHaveProperty('exit_code').toEqualTypeOf<number>();
    expectTypeOf<ExecSyncResponse__Output['stdout']>().toEqualTypeOf<Buffer>();
    expectTypeOf<PodSandboxConfig>().toHaveProperty('log_directory');
  });

  it('reads request and response types off a unary client method', () => {
    expectTypeOf<UnaryRequest<RuntimeServiceClient['Version']>>().toEqualTypeOf<VersionRequest>();
    expectTypeOf<
      UnaryResponse<RuntimeServiceClient['Version']>
    >().toEqualTypeOf<VersionResponse__Output>();
    expectTypeOf<'Version'>().toExtend<UnaryMethodName<RuntimeServiceClient>>();
    // A server stream is not a unary method.
    expectTypeOf<'GetContainerEvents'>().not.toExtend<UnaryMethodName<RuntimeServiceClient>>();
  });
});
