// core/v1 Container schema and its parts (ports, env, probes, security context).
import {
  arrayOf,
  bool,
  int32,
  int64,
  intOrString,
  obj,
  quantity,
  resourceList,
  str,
  strings,
} from './json-schema.js';

const containerPort = obj(
  { name: str, hostPort: int32, containerPort: int32, protocol: str, hostIP: str },
  ['containerPort'],
);

export const objectFieldSelector = obj({ apiVersion: str, fieldPath: str }, ['fieldPath']);

export const resourceFieldSelector = obj({ containerName: str, resource: str, divisor: quantity }, [
  'resource',
]);

const keySelector = obj({ name: str, key: str, optional: bool }, ['key']);

const envVar = obj(
  {
    name: str,
    value: str,
    valueFrom: obj({
      fieldRef: objectFieldSelector,
      resourceFieldRef: resourceFieldSelector,
      configMapKeyRef: keySelector,
      secretKeyRef: keySelector,
    }),
  },
  ['name'],
);

const optionalRef = obj({ name: str, optional: bool });

const envFromSource = obj({ prefix: str, configMapRef: optionalRef, secretRef: optionalRef });

const volumeMount = obj(
  {
    name: str,
    readOnly: bool,
    mountPath: str,
    subPath: str,
    subPathExpr: str,
    mountPropagation: str,
  },
  ['name', 'mountPath'],
);

const execAction = obj({ command: strings });

const httpGetAction = obj(
  {
    path: str,
    port: intOrString,
    host: str,
    scheme: str,
    httpHeaders: arrayOf(obj({ name: str, value: str }, ['name', 'value'])),
  },
  ['port'],
);

const tcpSocketAction = obj({ port: intOrString, host: str }, ['port']);

const grpcAction = obj({ port: int32, service: str }, ['port']);

const probe = obj({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: grpcAction,
  initialDelaySeconds: int32,
  timeoutSeconds: int32,
  periodSeconds: int32,
  successThreshold: int32,
  failureThreshold: int32,
  terminationGracePeriodSeconds: int64,
});

const lifecycleHandler = obj({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  sleep: obj({ seconds: int64 }, ['seconds']),
});

export const seLinuxOptions = obj({ user: str, role: str, type: str, level: str });

export const seccompProfile = obj({ type: str, localhostProfile: str }, ['type']);

const securityContext = obj({
  capabilities: obj({ add: strings, drop: strings }),
  privileged: bool,
  seLinuxOptions,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: str,
  seccompProfile,
});

export const container = obj(
  {
    name: str,
    image: str,
    command: strings,
    args: strings,
    workingDir: str,
    ports: arrayOf(containerPort),
    envFrom: arrayOf(envFromSource),
    env: arrayOf(envVar),
    resources: obj({ limits: resourceList, requests: resourceList }),
    volumeMounts: arrayOf(volumeMount),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    lifecycle: obj({ postStart: lifecycleHandler, preStop: lifecycleHandler }),
    terminationMessagePath: str,
    terminationMessagePolicy: str,
    imagePullPolicy: str,
    securityContext,
    restartPolicy: str,
    stdin: bool,
    stdinOnce: bool,
    tty: bool,
  },
  ['name'],
);
