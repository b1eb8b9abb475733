import type { Options } from '@grpc/proto-loader';

// How proto-loader turns runtime.v1 messages into JavaScript objects. scripts/gen.mjs passes the
// same choices to proto-loader-gen-types, so the generated types describe these objects exactly.
export const criLoaderOptions: Options = {
  // Field names stay as in the proto (pod_sandbox_id, CDI_devices), so code greps against cri-api.
  keepCase: true,
  // int64/uint64 arrive as decimal strings: nanosecond timestamps (~1.7e18) are far above 2^53
  // and a JavaScript number would silently round them. Use BigInt(value) for arithmetic. On the
  // way out a number, a decimal string or a bigint-derived string are all accepted.
  longs: String,
  // Enums arrive as their names ('CONTAINER_RUNNING'), readable in logs and JSON; on the way out
  // either the name or the number is accepted.
  enums: String,
  // Unset scalars arrive as their proto3 zero value ('' / '0' / false), repeated as [], maps as
  // {}, messages as null: the same view Go's generated getters give the kubelet and containerd.
  defaults: true,
  // CRI has no oneof today; kept so a future one gets its discriminator field.
  oneofs: true,
};
