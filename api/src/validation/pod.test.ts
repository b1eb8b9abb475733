import { describe, expect, it } from 'vitest';
import { formatFieldError } from './field-error.js';
import { makePod } from '../testing/builders/index.js';
import { validatePod } from './pod.js';
import { expectFieldError } from './testing/expect-field-error.js';

const probe = { httpGet: { path: '/healthz', port: 8080 } };

describe('validatePod', () => {
  it('accepts a minimal pod', () => {
    expect(validatePod(makePod().namespace('default').container('a').obj())).toEqual([]);
  });

  it('accepts a pod using most features correctly', () => {
    const pod = makePod()
      .namespace('default')
      .volume({ name: 'data', emptyDir: {} })
      .volume({ name: 'cfg', configMap: { name: 'app-config' } })
      .initContainer('setup', { command: ['sh', '-c', 'true'] })
      .container('app', {
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'MODE', value: 'prod' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        resources: {
          requests: { cpu: '100m', memory: '64Mi' },
          limits: { cpu: '1', memory: '128Mi' },
        },
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'cfg', mountPath: '/etc/app' },
        ],
        livenessProbe: { ...probe, periodSeconds: 10, successThreshold: 1 },
        readinessProbe: { tcpSocket: { port: 'http' }, successThreshold: 3 },
        imagePullPolicy: 'IfNotPresent',
      })
      .spec({
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        terminationGracePeriodSeconds: 30,
      })
      .obj();
    expect(validatePod(pod)).toEqual([]);
  });

  it.each<[string, ReturnType<typeof makePod>, string, string, string?]>([
    [
      'no containers',
      makePod().namespace('default').withoutContainers(),
      'spec.containers',
      'FieldValueRequired',
    ],
    [
      'a missing image',
      makePod().namespace('default').container('a', { image: '' }),
      'spec.containers[0].image',
      'FieldValueRequired',
    ],
    [
      'an image with spaces around it',
      makePod().namespace('default').container('a', { image: ' nginx' }),
      'spec.containers[0].image',
      'FieldValueInvalid',
      'must not have leading or trailing whitespace',
    ],
    [
      'an invalid container name',
      makePod().namespace('default').container('Web_1'),
      'spec.containers[0].name',
      'FieldValueInvalid',
      'a lowercase RFC 1123 label must consist of',
    ],
    [
      'a missing container name',
      makePod().namespace('default').container(''),
      'spec.containers[0].name',
      'FieldValueRequired',
    ],
    [
      'duplicate container names',
      makePod().namespace('default').container('a').container('a'),
      'spec.containers[1].name',
      'FieldValueDuplicate',
    ],
    [
      'an init container named like a container',
      makePod().namespace('default').container('a').initContainer('a'),
      'spec.initContainers[0].name',
      'FieldValueDuplicate',
    ],
    [
      'containerPort 0',
      makePod()
        .namespace('default')
        .container('a', { ports: [{ containerPort: 0 }] }),
      'spec.containers[0].ports[0].containerPort',
      'FieldValueRequired',
    ],
    [
      'containerPort 70000',
      makePod()
        .namespace('default')
        .container('a', { ports: [{ containerPort: 70000 }] }),
      'spec.containers[0].ports[0].containerPort',
      'FieldValueInvalid',
      'must be between 1 and 65535, inclusive',
    ],
    [
      'hostPort 70000',
      makePod()
        .namespace('default')
        .container('a', { ports: [{ containerPort: 80, hostPort: 70000 }] }),
      'spec.containers[0].ports[0].hostPort',
      'FieldValueInvalid',
      'must be between 1 and 65535, inclusive',
    ],
    [
      'an unknown protocol',
      makePod()
        .namespace('default')
        .container('a', { ports: [{ containerPort: 80, protocol: 'ICMP' as 'TCP' }] }),
      'spec.containers[0].ports[0].protocol',
      'FieldValueNotSupported',
      'supported values: "SCTP", "TCP", "UDP"',
    ],
    [
      'a port name with capitals',
      makePod()
        .namespace('default')
        .container('a', { ports: [{ containerPort: 80, name: 'HTTP' }] }),
      'spec.containers[0].ports[0].name',
      'FieldValueInvalid',
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
    [
      'a port name without letters',
      makePod()
        .namespace('default')
        .container('a', { ports: [{ containerPort: 80, name: '8080' }] }),
      'spec.containers[0].ports[0].name',
      'FieldValueInvalid',
      'must contain at least one letter (a-z)',
    ],
    [
      'a port name over 15 characters',
      makePod()
        .namespace('default')
        .container('a', { ports: [{ containerPort: 80, name: 'a-very-long-port-name' }] }),
      'spec.containers[0].ports[0].name',
      'FieldValueInvalid',
      'must be no more than 15 characters',
    ],
    [
      'duplicate port names',
      makePod()
        .namespace('default')
        .container('a', {
          ports: [
            { containerPort: 80, name: 'http' },
            { containerPort: 81, name: 'http' },
          ],
        }),
      'spec.containers[0].ports[1].name',
      'FieldValueDuplicate',
    ],
    [
      'an env name starting with a digit',
      makePod()
        .namespace('default')
        .container('a', { env: [{ name: '1BAD', value: 'x' }] }),
      'spec.containers[0].env[0].name',
      'FieldValueInvalid',
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ],
    [
      'env with both value and valueFrom',
      makePod()
        .namespace('default')
        .container('a', {
          env: [{ name: 'X', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        }),
      'spec.containers[0].env[0].valueFrom',
      'FieldValueInvalid',
      'may not be specified when `value` is not empty',
    ],
    [
      'env valueFrom with no source',
      makePod()
        .namespace('default')
        .container('a', { env: [{ name: 'X', valueFrom: {} }] }),
      'spec.containers[0].env[0].valueFrom',
      'FieldValueInvalid',
      'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    ],
    [
      'an unknown restartPolicy',
      makePod()
        .namespace('default')
        .spec({ restartPolicy: 'Sometimes' as 'Always' }),
      'spec.restartPolicy',
      'FieldValueNotSupported',
      'supported values: "Always", "OnFailure", "Never"',
    ],
    [
      'an unknown dnsPolicy',
      makePod()
        .namespace('default')
        .spec({ dnsPolicy: 'Custom' as 'None' }),
      'spec.dnsPolicy',
      'FieldValueNotSupported',
      'supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"',
    ],
    [
      'dnsPolicy None without dnsConfig',
      makePod().namespace('default').spec({ dnsPolicy: 'None' }),
      'spec.dnsConfig',
      'FieldValueRequired',
    ],
    [
      'a probe without a handler',
      makePod()
        .namespace('default')
        .container('a', { livenessProbe: { periodSeconds: 5 } }),
      'spec.containers[0].livenessProbe',
      'FieldValueRequired',
      'must specify a handler type',
    ],
    [
      'a probe with two handlers',
      makePod()
        .namespace('default')
        .container('a', { readinessProbe: { ...probe, exec: { command: ['true'] } } }),
      'spec.containers[0].readinessProbe.httpGet',
      'FieldValueForbidden',
      'may not specify more than 1 handler type',
    ],
    [
      'periodSeconds 0',
      makePod()
        .namespace('default')
        .container('a', { readinessProbe: { ...probe, periodSeconds: 0 } }),
      'spec.containers[0].readinessProbe.periodSeconds',
      'FieldValueInvalid',
      'must be greater than or equal to 1',
    ],
    [
      'a negative initialDelaySeconds',
      makePod()
        .namespace('default')
        .container('a', { readinessProbe: { ...probe, initialDelaySeconds: -1 } }),
      'spec.containers[0].readinessProbe.initialDelaySeconds',
      'FieldValueInvalid',
      'must be greater than or equal to 0',
    ],
    [
      'a liveness successThreshold of 2',
      makePod()
        .namespace('default')
        .container('a', { livenessProbe: { ...probe, successThreshold: 2 } }),
      'spec.containers[0].livenessProbe.successThreshold',
      'FieldValueInvalid',
      'must be 1',
    ],
    [
      'a startup successThreshold of 3',
      makePod()
        .namespace('default')
        .container('a', { startupProbe: { ...probe, successThreshold: 3 } }),
      'spec.containers[0].startupProbe.successThreshold',
      'FieldValueInvalid',
      'must be 1',
    ],
    [
      'a probe on a plain init container',
      makePod().namespace('default').initContainer('i', { readinessProbe: probe }),
      'spec.initContainers[0].readinessProbe',
      'FieldValueForbidden',
    ],
    [
      'an unparseable quantity',
      makePod()
        .namespace('default')
        .container('a', { resources: { limits: { cpu: 'lots' } } }),
      'spec.containers[0].resources.limits[cpu]',
      'FieldValueInvalid',
      'quantities must match the regular expression',
    ],
    [
      'a negative quantity',
      makePod()
        .namespace('default')
        .container('a', { resources: { requests: { memory: '-1Mi' } } }),
      'spec.containers[0].resources.requests[memory]',
      'FieldValueInvalid',
      'must be greater than or equal to 0',
    ],
    [
      'a request above its limit',
      makePod()
        .namespace('default')
        .container('a', { resources: { requests: { cpu: '2' }, limits: { cpu: '1500m' } } }),
      'spec.containers[0].resources.requests',
      'FieldValueInvalid',
      'must be less than or equal to cpu limit of 1500m',
    ],
    [
      'an unknown unprefixed resource',
      makePod()
        .namespace('default')
        .container('a', { resources: { limits: { gpu: '1' } } }),
      'spec.containers[0].resources.limits[gpu]',
      'FieldValueInvalid',
      'must be a standard resource for containers',
    ],
    [
      'an extended resource request without a limit',
      makePod()
        .namespace('default')
        .container('a', { resources: { requests: { 'example.com/gpu': '1' } } }),
      'spec.containers[0].resources.limits',
      'FieldValueRequired',
      'Limit must be set for non overcommitable resources',
    ],
    [
      'duplicate volume names',
      makePod()
        .namespace('default')
        .volume({ name: 'v', emptyDir: {} })
        .volume({ name: 'v', emptyDir: {} }),
      'spec.volumes[1].name',
      'FieldValueDuplicate',
    ],
    [
      'a volume without a source',
      makePod().namespace('default').volume({ name: 'v' }),
      'spec.volumes[0]',
      'FieldValueRequired',
      'must specify a volume type',
    ],
    [
      'a volume with two sources',
      makePod()
        .namespace('default')
        .volume({ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }),
      'spec.volumes[0].hostPath',
      'FieldValueForbidden',
      'may not specify more than 1 volume type',
    ],
    [
      'a mount of a missing volume',
      makePod()
        .namespace('default')
        .container('a', { volumeMounts: [{ name: 'nope', mountPath: '/x' }] }),
      'spec.containers[0].volumeMounts[0].name',
      'FieldValueNotFound',
    ],
    [
      'two mounts at one path',
      makePod()
        .namespace('default')
        .volume({ name: 'v', emptyDir: {} })
        .container('a', {
          volumeMounts: [
            { name: 'v', mountPath: '/x' },
            { name: 'v', mountPath: '/x' },
          ],
        }),
      'spec.containers[0].volumeMounts[1].mountPath',
      'FieldValueInvalid',
      'must be unique',
    ],
    [
      'an unknown imagePullPolicy',
      makePod()
        .namespace('default')
        .container('a', { imagePullPolicy: 'Sometimes' as 'Always' }),
      'spec.containers[0].imagePullPolicy',
      'FieldValueNotSupported',
      'supported values: "Always", "IfNotPresent", "Never"',
    ],
    [
      'a negative terminationGracePeriodSeconds',
      makePod().namespace('default').spec({ terminationGracePeriodSeconds: -5 }),
      'spec.terminationGracePeriodSeconds',
      'FieldValueInvalid',
      'must be greater than or equal to 0',
    ],
    [
      'activeDeadlineSeconds 0',
      makePod().namespace('default').spec({ activeDeadlineSeconds: 0 }),
      'spec.activeDeadlineSeconds',
      'FieldValueInvalid',
      'must be between 1 and 2147483647, inclusive',
    ],
    [
      'a hostPort that differs from containerPort on the host network',
      makePod()
        .namespace('default')
        .spec({ hostNetwork: true })
        .container('a', { ports: [{ containerPort: 80, hostPort: 8080 }] }),
      'spec.containers[0].ports[0].hostPort',
      'FieldValueInvalid',
      'must match `containerPort` when `hostNetwork` is true',
    ],
    [
      'a toleration with a value and Exists',
      makePod()
        .namespace('default')
        .spec({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }),
      'spec.tolerations[0].value',
      'FieldValueInvalid',
      "value must be empty when `operator` is 'Exists'",
    ],
  ])('rejects %s', (_what, builder, field, type, detail) => {
    expectFieldError(validatePod(builder.obj()), field, type as never, detail);
  });

  it('prints a missing image the way kubectl shows it', () => {
    const errs = validatePod(makePod().namespace('default').container('a', { image: '' }).obj());
    expect(errs.map(formatFieldError)).toEqual(['spec.containers[0].image: Required value']);
  });

  it('requires pod names to be DNS subdomains', () => {
    expectFieldError(
      validatePod(makePod().namespace('default').name('Web').obj()),
      'metadata.name',
      'FieldValueInvalid',
    );
    expect(validatePod(makePod().namespace('default').name('web.v2').obj())).toEqual([]);
  });
});
