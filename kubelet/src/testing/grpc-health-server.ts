// A real grpc.health.v1 server for the gRPC probe's tests: grpc-js over TCP, answering Check from
// a table the test changes (as grpc-go's health.Server: an unknown service is NotFound). Every
// answer can be held back for a while, for the probe's deadline. Without `health`, the server
// serves no services at all, so Check is Unimplemented, as from a server that never registered it.
import {
  Server,
  ServerCredentials,
  status,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import {
  HEALTH_CHECK_METHOD,
  decodeHealthCheckRequest,
  encodeHealthCheckResponse,
  type ServingStatus,
} from '../prober/grpc-health-messages.js';

interface CheckRequest {
  readonly service: string;
}

export interface GrpcHealthServer {
  readonly port: number;
  /** What Check answers for `service` ('' is the server as a whole). */
  set(service: string, servingStatus: ServingStatus): void;
  /** Answers every Check only after this long (0: at once). */
  delayAnswers(ms: number): void;
  /** The services Check was asked about, in order. */
  readonly asked: string[];
  stop(): Promise<void>;
}

export async function startGrpcHealthServer(
  options: { host?: string; health?: boolean } = {},
): Promise<GrpcHealthServer> {
  const statuses = new Map<string, ServingStatus>([['', 'SERVING']]);
  const asked: string[] = [];
  let delayMs = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = new Server();
  if (options.health !== false) {
    server.addService(
      {
        Check: {
          path: HEALTH_CHECK_METHOD,
          requestStream: false,
          responseStream: false,
          requestSerialize: (request: CheckRequest) => Buffer.from(request.service, 'utf8'),
          // An object, not the bare string: grpc-js takes a falsy request ('') for none at all.
          requestDeserialize: (bytes: Buffer): CheckRequest => ({
            service: decodeHealthCheckRequest(bytes),
          }),
          responseSerialize: (s: ServingStatus) => encodeHealthCheckResponse(s),
          responseDeserialize: () => 'UNKNOWN' as ServingStatus,
        },
      },
      {
        Check: (
          call: ServerUnaryCall<CheckRequest, ServingStatus>,
          done: sendUnaryData<ServingStatus>,
        ) => {
          const { service } = call.request;
          asked.push(service);
          const answer = (): void => {
            const known = statuses.get(service);
            if (known === undefined) done({ code: status.NOT_FOUND, details: 'unknown service' });
            else done(null, known);
          };
          if (delayMs === 0) {
            answer();
            return;
          }
          const timer = setTimeout(() => {
            timers.delete(timer);
            answer();
          }, delayMs);
          timers.add(timer);
        },
      },
    );
  }
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:0`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return {
    port,
    asked,
    set: (service, servingStatus) => statuses.set(service, servingStatus),
    delayAnswers: (ms) => {
      delayMs = ms;
    },
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.forceShutdown();
      await Promise.resolve();
    },
  };
}
