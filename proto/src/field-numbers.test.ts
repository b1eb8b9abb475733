import { describe, expect, it } from 'vitest';
import { loadCri } from './index.js';

// Protobuf puts field numbers, not names, on the wire: renumbering a field compiles and runs fine
// and silently breaks every conversation with containerd or cri-o. These tables are the numbers,
// types, enum values and RPC signatures of Kubernetes' cri-api runtime.v1 that the kubelet and the
// runtime rely on most, checked against the descriptors proto-loader builds from our api.proto.

// message -> field -> "number [repeated] type" (map fields as map<key,value>).
const FIELDS: Record<string, Record<string, string>> = {
  VersionRequest: { version: '1 string' },
  VersionResponse: {
    version: '1 string',
    runtime_name: '2 string',
    runtime_version: '3 string',
    runtime_api_version: '4 string',
  },
  PodSandboxMetadata: {
    name: '1 string',
    uid: '2 string',
    namespace: '3 string',
    attempt: '4 uint32',
  },
  PodSandboxConfig: {
    metadata: '1 PodSandboxMetadata',
    hostname: '2 string',
    log_directory: '3 string',
    dns_config: '4 DNSConfig',
    port_mappings: '5 repeated PortMapping',
    labels: '6 map<string,string>',
    annotations: '7 map<string,string>',
    linux: '8 LinuxPodSandboxConfig',
    windows: '9 WindowsPodSandboxConfig',
  },
  DNSConfig: {
    servers: '1 repeated string',
    searches: '2 repeated string',
    options: '3 repeated string',
  },
  PortMapping: {
    protocol: '1 Protocol',
    container_port: '2 int32',
    host_port: '3 int32',
    host_ip: '4 string',
  },
  LinuxPodSandboxConfig: {
    cgroup_parent: '1 string',
    security_context: '2 LinuxSandboxSecurityContext',
    sysctls: '3 map<string,string>',
    overhead: '4 LinuxContainerResources',
    resources: '5 LinuxContainerResources',
  },
  LinuxSandboxSecurityContext: {
    namespace_options: '1 NamespaceOption',
    selinux_options: '2 SELinuxOption',
    run_as_user: '3 Int64Value',
    readonly_rootfs: '4 bool',
    supplemental_groups: '5 repeated int64',
    privileged: '6 bool',
    seccomp_profile_path: '7 string',
    run_as_group: '8 Int64Value',
    seccomp: '9 SecurityProfile',
    apparmor: '10 SecurityProfile',
    supplemental_groups_policy: '11 SupplementalGroupsPolicy',
  },
  NamespaceOption: {
    network: '1 NamespaceMode',
    pid: '2 NamespaceMode',
    ipc: '3 NamespaceMode',
    target_id: '4 string',
    userns_options: '5 UserNamespace',
  },
  SecurityProfile: { profile_type: '1 ProfileType', localhost_ref: '2 string' },
  RunPodSandboxRequest: { config: '1 PodSandboxConfig', runtime_handler: '2 string' },
  RunPodSandboxResponse: { pod_sandbox_id: '1 string' },
  PodSandboxStatus: {
    id: '1 string',
    metadata: '2 PodSandboxMetadata',
    state: '3 PodSandboxState',
    created_at: '4 int64',
    network: '5 PodSandboxNetworkStatus',
    linux: '6 LinuxPodSandboxStatus',
    labels: '7 map<string,string>',
    annotations: '8 map<string,string>',
    runtime_handler: '9 string',
  },
  PodSandboxStatusResponse: {
    status: '1 PodSandboxStatus',
    info: '2 map<string,string>',
    containers_statuses: '3 repeated ContainerStatus',
    timestamp: '4 int64',
  },
  PodSandboxNetworkStatus: { ip: '1 string', additional_ips: '2 repeated PodIP' },
  PodSandbox: {
    id: '1 string',
    metadata: '2 PodSandboxMetadata',
    state: '3 PodSandboxState',
    created_at: '4 int64',
    labels: '5 map<string,string>',
    annotations: '6 map<string,string>',
    runtime_handler: '7 string',
  },
  PodSandboxFilter: {
    id: '1 string',
    state: '2 PodSandboxStateValue',
    label_selector: '3 map<string,string>',
  },
  ContainerMetadata: { name: '1 string', attempt: '2 uint32' },
  ImageSpec: {
    image: '1 string',
    annotations: '2 map<string,string>',
    user_specified_image: '18 string',
    runtime_handler: '19 string',
  },
  Mount: {
    container_path: '1 string',
    host_path: '2 string',
    readonly: '3 bool',
    selinux_relabel: '4 bool',
    propagation: '5 MountPropagation',
    uidMappings: '6 repeated IDMapping',
    gidMappings: '7 repeated IDMapping',
    recursive_read_only: '8 bool',
    image: '9 ImageSpec',
    image_sub_path: '10 string',
  },
  ContainerConfig: {
    metadata: '1 ContainerMetadata',
    image: '2 ImageSpec',
    command: '3 repeated string',
    args: '4 repeated string',
    working_dir: '5 string',
    envs: '6 repeated KeyValue',
    mounts: '7 repeated Mount',
    devices: '8 repeated Device',
    labels: '9 map<string,string>',
    annotations: '10 map<string,string>',
    log_path: '11 string',
    stdin: '12 bool',
    stdin_once: '13 bool',
    tty: '14 bool',
    linux: '15 LinuxContainerConfig',
    windows: '16 WindowsContainerConfig',
    CDI_devices: '17 repeated CDIDevice',
  },
  LinuxContainerConfig: {
    resources: '1 LinuxContainerResources',
    security_context: '2 LinuxContainerSecurityContext',
  },
  LinuxContainerResources: {
    cpu_period: '1 int64',
    cpu_quota: '2 int64',
    cpu_shares: '3 int64',
    memory_limit_in_bytes: '4 int64',
    oom_score_adj: '5 int64',
    cpuset_cpus: '6 string',
    cpuset_mems: '7 string',
    hugepage_limits: '8 repeated HugepageLimit',
    unified: '9 map<string,string>',
    memory_swap_limit_in_bytes: '10 int64',
  },
  LinuxContainerSecurityContext: {
    capabilities: '1 Capability',
    privileged: '2 bool',
    namespace_options: '3 NamespaceOption',
    selinux_options: '4 SELinuxOption',
    run_as_user: '5 Int64Value',
    run_as_username: '6 string',
    readonly_rootfs: '7 bool',
    supplemental_groups: '8 repeated int64',
    apparmor_profile: '9 string',
    seccomp_profile_path: '10 string',
    no_new_privs: '11 bool',
    run_as_group: '12 Int64Value',
    masked_paths: '13 repeated string',
    readonly_paths: '14 repeated string',
    seccomp: '15 SecurityProfile',
    apparmor: '16 SecurityProfile',
    supplemental_groups_policy: '17 SupplementalGroupsPolicy',
  },
  KeyValue: { key: '1 string', value: '2 string' },
  CreateContainerRequest: {
    pod_sandbox_id: '1 string',
    config: '2 ContainerConfig',
    sandbox_config: '3 PodSandboxConfig',
  },
  CreateContainerResponse: { container_id: '1 string' },
  StopContainerRequest: { container_id: '1 string', timeout: '2 int64' },
  Container: {
    id: '1 string',
    pod_sandbox_id: '2 string',
    metadata: '3 ContainerMetadata',
    image: '4 ImageSpec',
    image_ref: '5 string',
    state: '6 ContainerState',
    created_at: '7 int64',
    labels: '8 map<string,string>',
    annotations: '9 map<string,string>',
    image_id: '10 string',
  },
  ContainerFilter: {
    id: '1 string',
    state: '2 ContainerStateValue',
    pod_sandbox_id: '3 string',
    label_selector: '4 map<string,string>',
  },
  ContainerStatus: {
    id: '1 string',
    metadata: '2 ContainerMetadata',
    state: '3 ContainerState',
    created_at: '4 int64',
    started_at: '5 int64',
    finished_at: '6 int64',
    exit_code: '7 int32',
    image: '8 ImageSpec',
    image_ref: '9 string',
    reason: '10 string',
    message: '11 string',
    labels: '12 map<string,string>',
    annotations: '13 map<string,string>',
    mounts: '14 repeated Mount',
    log_path: '15 string',
    resources: '16 ContainerResources',
    image_id: '17 string',
    user: '18 ContainerUser',
  },
  ContainerStatusResponse: { status: '1 ContainerStatus', info: '2 map<string,string>' },
  UpdateContainerResourcesRequest: {
    container_id: '1 string',
    linux: '2 LinuxContainerResources',
    windows: '3 WindowsContainerResources',
    annotations: '4 map<string,string>',
  },
  ExecSyncRequest: { container_id: '1 string', cmd: '2 repeated string', timeout: '3 int64' },
  ExecSyncResponse: { stdout: '1 bytes', stderr: '2 bytes', exit_code: '3 int32' },
  ExecRequest: {
    container_id: '1 string',
    cmd: '2 repeated string',
    tty: '3 bool',
    stdin: '4 bool',
    stdout: '5 bool',
    stderr: '6 bool',
  },
  AttachRequest: {
    container_id: '1 string',
    stdin: '2 bool',
    tty: '3 bool',
    stdout: '4 bool',
    stderr: '5 bool',
  },
  PortForwardRequest: { pod_sandbox_id: '1 string', port: '2 repeated int32' },
  RuntimeCondition: { type: '1 string', status: '2 bool', reason: '3 string', message: '4 string' },
  StatusResponse: {
    status: '1 RuntimeStatus',
    info: '2 map<string,string>',
    runtime_handlers: '3 repeated RuntimeHandler',
    features: '4 RuntimeFeatures',
  },
  Image: {
    id: '1 string',
    repo_tags: '2 repeated string',
    repo_digests: '3 repeated string',
    size: '4 uint64',
    uid: '5 Int64Value',
    username: '6 string',
    spec: '7 ImageSpec',
    pinned: '8 bool',
  },
  AuthConfig: {
    username: '1 string',
    password: '2 string',
    auth: '3 string',
    server_address: '4 string',
    identity_token: '5 string',
    registry_token: '6 string',
  },
  PullImageRequest: {
    image: '1 ImageSpec',
    auth: '2 AuthConfig',
    sandbox_config: '3 PodSandboxConfig',
  },
  PullImageResponse: { image_ref: '1 string' },
  ImageFsInfoResponse: {
    image_filesystems: '1 repeated FilesystemUsage',
    container_filesystems: '2 repeated FilesystemUsage',
  },
  FilesystemUsage: {
    timestamp: '1 int64',
    fs_id: '2 FilesystemIdentifier',
    used_bytes: '3 UInt64Value',
    inodes_used: '4 UInt64Value',
  },
  ContainerStats: {
    attributes: '1 ContainerAttributes',
    cpu: '2 CpuUsage',
    memory: '3 MemoryUsage',
    writable_layer: '4 FilesystemUsage',
    swap: '5 SwapUsage',
  },
  CpuUsage: {
    timestamp: '1 int64',
    usage_core_nano_seconds: '2 UInt64Value',
    usage_nano_cores: '3 UInt64Value',
  },
  MemoryUsage: {
    timestamp: '1 int64',
    working_set_bytes: '2 UInt64Value',
    available_bytes: '3 UInt64Value',
    usage_bytes: '4 UInt64Value',
    rss_bytes: '5 UInt64Value',
    page_faults: '6 UInt64Value',
    major_page_faults: '7 UInt64Value',
  },
  ContainerEventResponse: {
    container_id: '1 string',
    container_event_type: '2 ContainerEventType',
    created_at: '3 int64',
    pod_sandbox_status: '4 PodSandboxStatus',
    containers_statuses: '5 repeated ContainerStatus',
  },
  LinuxRuntimeConfiguration: { cgroup_driver: '1 CgroupDriver' },
  Int64Value: { value: '1 int64' },
  UInt64Value: { value: '1 uint64' },
};

// enum (nested ones as Parent.Enum) -> value name -> number.
const ENUMS: Record<string, Record<string, number>> = {
  Protocol: { TCP: 0, UDP: 1, SCTP: 2 },
  MountPropagation: {
    PROPAGATION_PRIVATE: 0,
    PROPAGATION_HOST_TO_CONTAINER: 1,
    PROPAGATION_BIDIRECTIONAL: 2,
  },
  NamespaceMode: { POD: 0, CONTAINER: 1, NODE: 2, TARGET: 3 },
  SupplementalGroupsPolicy: { Merge: 0, Strict: 1 },
  'SecurityProfile.ProfileType': { RuntimeDefault: 0, Unconfined: 1, Localhost: 2 },
  PodSandboxState: { SANDBOX_READY: 0, SANDBOX_NOTREADY: 1 },
  ContainerState: {
    CONTAINER_CREATED: 0,
    CONTAINER_RUNNING: 1,
    CONTAINER_EXITED: 2,
    CONTAINER_UNKNOWN: 3,
  },
  ContainerEventType: {
    CONTAINER_CREATED_EVENT: 0,
    CONTAINER_STARTED_EVENT: 1,
    CONTAINER_STOPPED_EVENT: 2,
    CONTAINER_DELETED_EVENT: 3,
  },
  MetricType: { COUNTER: 0, GAUGE: 1 },
  CgroupDriver: { SYSTEMD: 0, CGROUPFS: 1 },
};

// service -> rpc -> "Request -> Response" ("stream Response" for a server stream).
const RPCS: Record<string, Record<string, string>> = {
  RuntimeService: {
    Version: 'VersionRequest -> VersionResponse',
    RunPodSandbox: 'RunPodSandboxRequest -> RunPodSandboxResponse',
    StopPodSandbox: 'StopPodSandboxRequest -> StopPodSandboxResponse',
    RemovePodSandbox: 'RemovePodSandboxRequest -> RemovePodSandboxResponse',
    PodSandboxStatus: 'PodSandboxStatusRequest -> PodSandboxStatusResponse',
    ListPodSandbox: 'ListPodSandboxRequest -> ListPodSandboxResponse',
    CreateContainer: 'CreateContainerRequest -> CreateContainerResponse',
    StartContainer: 'StartContainerRequest -> StartContainerResponse',
    StopContainer: 'StopContainerRequest -> StopContainerResponse',
    RemoveContainer: 'RemoveContainerRequest -> RemoveContainerResponse',
    ListContainers: 'ListContainersRequest -> ListContainersResponse',
    ContainerStatus: 'ContainerStatusRequest -> ContainerStatusResponse',
    UpdateContainerResources: 'UpdateContainerResourcesRequest -> UpdateContainerResourcesResponse',
    ReopenContainerLog: 'ReopenContainerLogRequest -> ReopenContainerLogResponse',
    ExecSync: 'ExecSyncRequest -> ExecSyncResponse',
    Exec: 'ExecRequest -> ExecResponse',
    Attach: 'AttachRequest -> AttachResponse',
    PortForward: 'PortForwardRequest -> PortForwardResponse',
    ContainerStats: 'ContainerStatsRequest -> ContainerStatsResponse',
    ListContainerStats: 'ListContainerStatsRequest -> ListContainerStatsResponse',
    PodSandboxStats: 'PodSandboxStatsRequest -> PodSandboxStatsResponse',
    ListPodSandboxStats: 'ListPodSandboxStatsRequest -> ListPodSandboxStatsResponse',
    UpdateRuntimeConfig: 'UpdateRuntimeConfigRequest -> UpdateRuntimeConfigResponse',
    Status: 'StatusRequest -> StatusResponse',
    CheckpointContainer: 'CheckpointContainerRequest -> CheckpointContainerResponse',
    GetContainerEvents: 'GetEventsRequest -> stream ContainerEventResponse',
    ListMetricDescriptors: 'ListMetricDescriptorsRequest -> ListMetricDescriptorsResponse',
    ListPodSandboxMetrics: 'ListPodSandboxMetricsRequest -> ListPodSandboxMetricsResponse',
    RuntimeConfig: 'RuntimeConfigRequest -> RuntimeConfigResponse',
  },
  ImageService: {
    ListImages: 'ListImagesRequest -> ListImagesResponse',
    ImageStatus: 'ImageStatusRequest -> ImageStatusResponse',
    PullImage: 'PullImageRequest -> PullImageResponse',
    RemoveImage: 'RemoveImageRequest -> RemoveImageResponse',
    ImageFsInfo: 'ImageFsInfoRequest -> ImageFsInfoResponse',
  },
};

// The parts of proto-loader's DescriptorProto objects these checks read.
interface FieldDescriptor {
  name: string;
  number: number;
  label: string;
  type: string;
  typeName: string;
}
interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
  nestedType: MessageDescriptor[];
  enumType: EnumDescriptor[];
  options: { mapEntry?: boolean } | null;
}
interface EnumDescriptor {
  name: string;
  value: { name: string; number: number }[];
}

function definition(name: string): Record<string, unknown> {
  const def = loadCri().packageDefinition[`runtime.v1.${name}`];
  if (def === undefined) throw new Error(`runtime.v1.${name} is not in the loaded proto`);
  return def as unknown as Record<string, unknown>;
}

function messageDescriptor(name: string): MessageDescriptor {
  const def = definition(name);
  if (def.format !== 'Protocol Buffer 3 DescriptorProto') throw new Error(`${name} is no message`);
  return def.type as MessageDescriptor;
}

function enumValues(name: string): Record<string, number> {
  const [parent, nested] = name.split('.');
  let descriptor: EnumDescriptor | undefined;
  if (nested === undefined) {
    const def = definition(name);
    if (def.format !== 'Protocol Buffer 3 EnumDescriptorProto')
      throw new Error(`${name} is no enum`);
    descriptor = def.type as EnumDescriptor;
  } else {
    descriptor = messageDescriptor(parent ?? '').enumType.find((e) => e.name === nested);
  }
  if (descriptor === undefined) throw new Error(`enum ${name} is not in the loaded proto`);
  return Object.fromEntries(descriptor.value.map((v) => [v.name, v.number]));
}

function typeOf(message: MessageDescriptor, field: FieldDescriptor): string {
  const shortName = field.typeName.replace(/^\.?runtime\.v1\./, '');
  if (field.type === 'TYPE_MESSAGE' || field.type === 'TYPE_ENUM') {
    const entry = message.nestedType.find((n) => n.name === shortName && n.options?.mapEntry);
    if (entry !== undefined) {
      const [key, value] = entry.field;
      return `map<${key ? typeOf(entry, key) : '?'},${value ? typeOf(entry, value) : '?'}>`;
    }
    return shortName;
  }
  return field.type.replace(/^TYPE_/, '').toLowerCase();
}

function describeFields(name: string): Record<string, string> {
  const message = messageDescriptor(name);
  return Object.fromEntries(
    message.field.map((f) => {
      const type = typeOf(message, f);
      const repeated = f.label === 'LABEL_REPEATED' && !type.startsWith('map<');
      return [f.name, `${f.number} ${repeated ? 'repeated ' : ''}${type}`];
    }),
  );
}

describe('runtime.v1 keeps cri-api wire numbers', () => {
  it.each(Object.entries(FIELDS))('%s has its field numbers and types', (message, expected) => {
    const actual = describeFields(message);
    const checked = Object.fromEntries(Object.keys(expected).map((f) => [f, actual[f]]));
    expect(checked).toEqual(expected);
  });

  it.each(Object.entries(ENUMS))('enum %s has its values', (name, expected) => {
    expect(enumValues(name)).toEqual(expected);
  });

  it.each(Object.entries(RPCS))('%s has exactly the CRI RPCs', (service, expected) => {
    const methods = definition(service);
    const actual = Object.fromEntries(
      Object.entries(methods).map(([rpc, method]) => {
        const m = method as {
          path: string;
          requestStream: boolean;
          responseStream: boolean;
          requestType: { type: { name: string } };
          responseType: { type: { name: string } };
        };
        expect(m.path).toBe(`/runtime.v1.${service}/${rpc}`);
        expect(m.requestStream).toBe(false);
        const response = `${m.responseStream ? 'stream ' : ''}${m.responseType.type.name}`;
        return [rpc, `${m.requestType.type.name} -> ${response}`];
      }),
    );
    expect(actual).toEqual(expected);
  });
});
