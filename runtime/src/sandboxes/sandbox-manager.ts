// CRI's pod sandbox verbs on Linux. A sandbox is: a network namespace from the pod network, the
// pod's shared files, and its IPC and UTS namespaces for the containers to join — pinned to files
// in the sandbox's directory (../linux/namespace-pins.ts), with no process of their own, as CRI-O
// does when it drops the infra container. A pod that shares one PID namespace
// (shareProcessNamespace) gets a pause container instead, which creates and holds all three: a
// PID namespace needs a living init. The pause container is an ordinary conmon-run OCI container
// whose id is the sandbox's id, so a runtime restart finds it the same way it finds every other
// container.
import { mkdir } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { realClock, type Clock } from '@skiff/api';
import type {
  PodSandboxConfig,
  PodSandboxFilter,
  Protocol,
  PodSandboxStatsFilter,
  PodSandboxStats__Output,
  PodSandboxStatus__Output,
  PodSandbox__Output,
} from '@skiff/proto';
import {
  checkPodSysctls,
  containerArgs,
  containerEnv,
  containerMounts,
  containerSpec,
  namespaceMode,
  canPinNamespaces,
  needsPauseProcess,
  pauseNamespaces,
  pinNamespaces,
  readNetDevIn,
  unpinNamespaces,
  podFilePaths,
  preparePodFiles,
  releasePodFiles,
  resolveUser,
  stringMap,
  type ContainerRunner,
  type ExitFileListing,
  type PodFilesInput,
  type PodNamespaceHolder,
  type PodNamespaceModes,
} from '../linux/index.js';
import type { ContainerManager } from '../containers/container-manager.js';
import { isRuntimeError, messageOf, RuntimeError } from '../containers/errors.js';
import { runtimeSpecOf, type VerboseDetails } from '../containers/verbose-info.js';
import { parseNetDev, podSandboxStats } from './sandbox-stats.js';
import { readIfPresent } from '../files/exists.js';
import { byCreation, matchesRecordFilter } from '../containers/filters.js';
import { newId, resolveId } from '../containers/ids.js';
import { loadRecords } from '../containers/load-records.js';
import { RecordStore } from '../containers/record-store.js';
import type { ImageSource, SandboxContext } from '../containers/sandbox-context.js';
import type { HostPortMapping } from '../network/index.js';
import { KeyedMutex } from '../network/mutex.js';
import { Rollback } from '../network/rollback.js';
import { together } from '../network/together.js';
import type { SandboxPhase, SandboxRecord } from './sandbox-record.js';
import { sandboxStatus, sandboxSummary } from './sandbox-status.js';

/** The part of PodNetwork the sandboxes use. */
export interface SandboxNetwork {
  setUp(
    sandboxId: string,
    options: {
      hostNetwork?: boolean;
      onNamespace?: (netnsPath: string) => void;
      portMappings?: readonly HostPortMapping[];
    },
  ): Promise<{ readonly netnsPath: string | undefined; readonly ip?: string }>;
  tearDown(sandboxId: string): Promise<void>;
  reconcile(liveSandboxIds: Iterable<string>): Promise<string[]>;
}

export interface SandboxManagerOptions {
  readonly root: string;
  readonly runner: ContainerRunner;
  readonly network: SandboxNetwork;
  readonly images: ImageSource & { ensureDemoImages?(): Promise<unknown> };
  readonly containers: ContainerManager;
  /** The image the pause process comes from. */
  readonly pauseImage: string;
  /** Whether `pauseImage` is the demo image ImageStore.ensureDemoImages builds on first use. */
  readonly pauseImageIsDemo?: boolean;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

/** What startPause needs from the pause image; prepared while the network is set up. */
interface PauseRootfs {
  readonly rootfs: string;
  readonly image: Awaited<ReturnType<ImageSource['configFor']>>;
  readonly user: Awaited<ReturnType<typeof resolveUser>>;
}

/** What the pause container's spec is made from: the part of the record known before it runs. */
type PauseContainer = Pick<
  SandboxRecord,
  'id' | 'name' | 'namespace' | 'hostname' | 'modes' | 'cgroupParent'
> & { readonly netnsPath: string | undefined };

/** Whose cgroup parent the sandbox's is, which decides whether removing it removes the parent. */
type CgroupOwnership = Pick<SandboxRecord, 'cgroupParent' | 'ownsCgroupParent'>;

/** How long the pause process gets to leave on SIGTERM before SIGKILL: it has nothing to save. */
const pauseStopMs = 2000;

export class SandboxManager {
  private readonly store: RecordStore<SandboxRecord>;
  private readonly records = new Map<string, SandboxRecord>();
  private readonly locks = new KeyedMutex();
  private readonly reserving = new Set<string>();
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  /**
   * Whether new sandboxes pin their namespaces (unless they need a pause process): wherever koffi
   * loads, as the pins are made with its system calls.
   */
  private pins = false;

  private constructor(private readonly options: SandboxManagerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? ((message) => console.warn(`[skiff sandboxes] ${message}`));
    this.store = new RecordStore(join(options.root, 'sandboxes'), 'sandbox', this.log);
  }

  /**
   * Loads every sandbox, finishes cleaning up sandboxes whose creation never completed, and frees
   * the networks of sandboxes that no longer exist.
   */
  static async open(options: SandboxManagerOptions): Promise<SandboxManager> {
    const manager = new SandboxManager(options);
    manager.pins = await canPinNamespaces();
    await loadRecords(manager.store, manager.records, async (id) => {
      await manager.destroyKernelState(id, undefined);
      await manager.store.remove(id);
      manager.log(`removed sandbox ${id}, whose creation never finished`);
    });
    await options.network.reconcile(manager.records.keys());
    return manager;
  }

  async run(config: PodSandboxConfig): Promise<string> {
    const meta = config.metadata;
    const name = meta?.name ?? '';
    const namespace = meta?.namespace ?? '';
    const uid = meta?.uid ?? '';
    const attempt = meta?.attempt ?? 0;
    if (name === '' || namespace === '' || uid === '') {
      throw new RuntimeError(
        'InvalidArgument',
        'the sandbox config needs metadata.name, metadata.namespace and metadata.uid',
      );
    }
    const nameKey = `${name}_${namespace}_${uid}_${attempt}`;
    const taken = [...this.records.values()].find(
      (r) => `${r.name}_${r.namespace}_${r.uid}_${r.attempt}` === nameKey,
    );
    if (taken !== undefined || this.reserving.has(nameKey)) {
      throw new RuntimeError(
        'AlreadyExists',
        `sandbox name ${nameKey} is already in use${taken ? ` by ${taken.id}` : ''}`,
      );
    }
    this.reserving.add(nameKey);
    try {
      return await this.runReserved(config, { name, namespace, uid, attempt });
    } finally {
      this.reserving.delete(nameKey);
    }
  }

  /**
   * Stops every container of the sandbox at once, then the pause process, and releases the
   * network. Repeating it is harmless.
   */
  async stop(idOrPrefix: string): Promise<void> {
    const id = this.resolve(idOrPrefix);
    await this.locks.run(id, async () => {
      const record = this.require(id);
      const { containers } = this.options;
      await together(containers.idsIn(id).map((containerId) => containers.stop(containerId, 0)));
      // With the containers gone nothing uses the network or the pod files any more, and the
      // pins or the pause process only hold namespaces: the three are independent and go at once.
      await together([
        record.pinnedNamespaces !== undefined
          ? unpinNamespaces(record.pinnedNamespaces)
          : this.stopPauseAndRelease(id),
        releasePodFiles(this.store.dirOf(id)),
        this.options.network.tearDown(id),
      ]);
      if (record.phase !== 'notready') {
        record.phase = 'notready';
        await this.store.save(record);
      }
    });
  }

  /** Removes the sandbox and its containers; an unknown id is not an error (CRI: idempotent). */
  async remove(idOrPrefix: string): Promise<void> {
    let id: string;
    try {
      id = this.resolve(idOrPrefix);
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) return;
      throw err;
    }
    await this.locks.run(id, async () => {
      const record = this.records.get(id);
      if (record === undefined) return;
      const { containers } = this.options;
      await together(containers.idsIn(id).map((containerId) => containers.remove(containerId)));
      if (record.phase === 'notready') {
        // StopPodSandbox finished (it records notready last): the network and pod files are
        // released and the pause container destroyed, so the cgroup parent is what is left.
        // (Destroying the pause again finds nothing to do, and starts no process for it.)
        await this.destroyPauseAndCgroup(id, record);
      } else {
        await this.destroyKernelState(id, record);
      }
      await this.store.remove(id);
      this.records.delete(id);
    });
  }

  async status(idOrPrefix: string): Promise<PodSandboxStatus__Output> {
    const record = this.require(this.resolve(idOrPrefix));
    return sandboxStatus(record, await this.phaseOf(record));
  }

  async info(idOrPrefix: string): Promise<VerboseDetails> {
    const record = this.require(this.resolve(idOrPrefix));
    const phase = await this.phaseOf(record);
    return {
      pid: record.pausePid,
      processStatus: phase === 'ready' ? 'running' : 'stopped',
      image: record.pinnedNamespaces !== undefined ? '' : this.options.pauseImage,
      netNamespacePath: record.netnsPath ?? '',
      hostname: record.hostname,
      cgroupParent: record.cgroupParent,
      namespaceModes: record.modes,
      runtimeSpec: await runtimeSpecOf(this.pauseDir(record.id)),
    };
  }

  async stats(idOrPrefix: string): Promise<PodSandboxStats__Output> {
    return this.statsOf(this.require(this.resolve(idOrPrefix)));
  }

  /** Stats of the ready sandboxes that match (a stopped pod has nothing to measure). */
  async listStats(filter?: PodSandboxStatsFilter | null): Promise<PodSandboxStats__Output[]> {
    const matching = { id: filter?.id, labels: filter?.label_selector };
    const result: PodSandboxStats__Output[] = [];
    const exitFiles = this.options.runner.exitFileListing();
    for (const record of [...this.records.values()].sort(byCreation)) {
      if (!matchesRecordFilter(record, matching)) continue;
      if ((await this.phaseOf(record, exitFiles)) !== 'ready') continue;
      result.push(await this.statsOf(record));
    }
    return result;
  }

  private async statsOf(record: SandboxRecord): Promise<PodSandboxStats__Output> {
    const ready = (await this.phaseOf(record)) === 'ready';
    const netDev = ready ? await this.netDevOf(record) : undefined;
    return podSandboxStats(record, {
      nowNs: BigInt(Math.round(this.clock.now())) * 1_000_000n,
      cgroup: ready ? await this.options.runner.stats(record.cgroupParent) : undefined,
      // hostNetwork pods share the node's interfaces: those are the node's stats, not the pod's.
      interfaces:
        netDev === undefined || record.modes.network === 'NODE' ? [] : parseNetDev(netDev),
      containers: await this.options.containers.listStats({
        id: '',
        pod_sandbox_id: record.id,
        label_selector: {},
      }),
    });
  }

  /** The pod's /proc/net/dev, seen from inside its network namespace. */
  private async netDevOf(record: SandboxRecord): Promise<string | undefined> {
    if (record.pinnedNamespaces === undefined) {
      return readIfPresent(`/proc/${record.pausePid}/net/dev`);
    }
    if (record.netnsPath === undefined) return undefined;
    try {
      return await readNetDevIn(record.netnsPath);
    } catch (err) {
      // Stats are best effort: a namespace removed meanwhile has nothing left to count.
      this.log(`reading the interfaces of sandbox ${record.id}: ${messageOf(err)}`);
      return undefined;
    }
  }

  async list(filter?: PodSandboxFilter | null): Promise<PodSandbox__Output[]> {
    const wantedState = filter?.state?.state;
    const wanted =
      wantedState === undefined || wantedState === null
        ? undefined
        : wantedState === 'SANDBOX_READY' || wantedState === 0
          ? 'ready'
          : 'notready';
    const result: PodSandbox__Output[] = [];
    const matching = { id: filter?.id, labels: filter?.label_selector };
    const exitFiles = this.options.runner.exitFileListing();
    for (const record of [...this.records.values()].sort(byCreation)) {
      if (!matchesRecordFilter(record, matching)) continue;
      const phase = await this.phaseOf(record, exitFiles);
      if (wanted !== undefined && phase !== wanted) continue;
      result.push(sandboxSummary(record, phase));
    }
    return result;
  }

  /** What CreateContainer needs to know about the sandbox. */
  async containerContext(idOrPrefix: string): Promise<SandboxContext> {
    const record = this.require(this.resolve(idOrPrefix));
    const dir = this.store.dirOf(record.id);
    return {
      id: record.id,
      ready: (await this.phaseOf(record)) === 'ready',
      namespaceHolder: namespaceHolderOf(record),
      netnsPath: record.netnsPath,
      modes: record.modes,
      hostname: record.hostname,
      logDirectory: record.logDirectory,
      cgroupParent: record.cgroupParent,
      podFiles: podFilePaths(dir, record.modes.ipc === 'NODE'),
    };
  }

  ids(): string[] {
    return [...this.records.keys()];
  }

  private async runReserved(
    config: PodSandboxConfig,
    meta: { name: string; namespace: string; uid: string; attempt: number },
  ): Promise<string> {
    const id = newId();
    const dir = this.store.dirOf(id);
    const modes = podNamespaceModes(config);
    const sysctls = stringMap(config.linux?.sysctls);
    try {
      checkPodSysctls(sysctls, modes);
    } catch (err) {
      throw new RuntimeError('InvalidArgument', messageOf(err), { cause: err });
    }
    // As containerd: no hostname given means the node's (the kubelet always gives one for pods
    // on the pod network; other CRI clients need not). The pod name would fail sethostname(2)
    // beyond 64 bytes.
    const hostname = config.hostname || osHostname();
    const parent = config.linux?.cgroup_parent ?? '';
    const cgroup: CgroupOwnership = {
      cgroupParent: parent !== '' ? parent : `/skiff/${id}`,
      ownsCgroupParent: parent === '',
    };
    const logDirectory = config.log_directory ?? '';
    const rollback = new Rollback();
    await mkdir(dir, { recursive: true });
    rollback.add(`remove ${dir}`, () => this.store.remove(id));
    // This one undo is safe on a sandbox whose creation stopped anywhere, so it is taken first
    // and the steps below, some of which run at once, need no undo bookkeeping of their own.
    rollback.add('remove what was made of the sandbox', () => this.destroyKernelState(id, cgroup));
    try {
      const hostNetwork = modes.network === 'NODE';
      let namespaceMade: (netnsPath: string) => void = () => undefined;
      const namespace = new Promise<string>((resolve) => (namespaceMade = resolve));
      const networkSetUp = this.options.network.setUp(id, {
        hostNetwork,
        onNamespace: (netnsPath) => namespaceMade(netnsPath),
        // A hostNetwork pod listens on the node's ports itself: nothing to forward, as containerd.
        ...(!hostNetwork && { portMappings: hostPortMappings(config) }),
      });
      const known = { id, ...meta, hostname, modes, ...cgroup };
      const pin = this.pins && !needsPauseProcess(modes);
      const [network, holder] = await together([
        // The pod files need the pod's address; only the app containers, created later, see them.
        networkSetUp.then(async (network) => {
          await preparePodFiles(dir, podFilesInput(config, hostname, network.ip, modes));
          return network;
        }),
        pin
          ? // The pod's `net.*` sysctls may name its interface: pinned once setUp attached it.
            together([this.ensureDemoImages(), networkSetUp]).then(
              async ([, network]): Promise<PodNamespaceHolder> => ({
                pinned: await pinNamespaces({
                  dir: await this.nsDir(id),
                  ipc: modes.ipc !== 'NODE',
                  hostname: hostNetwork ? undefined : hostname,
                  netnsPath: network.netnsPath,
                  sysctls,
                }),
              }),
            )
          : // The pause container needs the pod's network namespace to exist, not the veth inside
            // it, so it is created as soon as setUp has made the namespace, while setUp goes on to
            // attach it. (Should setUp fail or finish first, the race ends the wait.)
            this.preparePauseRootfs(id).then(async (rootfs): Promise<PodNamespaceHolder> => {
              const netnsPath = hostNetwork
                ? undefined
                : await Promise.race([namespace, networkSetUp.then((n) => n.netnsPath)]);
              return { pausePid: await this.startPause({ ...known, netnsPath }, config, rootfs) };
            }),
        logDirectory !== '' ? mkdir(logDirectory, { recursive: true }) : undefined,
      ]);
      const record: SandboxRecord = {
        ...known,
        labels: stringMap(config.labels),
        annotations: stringMap(config.annotations),
        logDirectory,
        runtimeHandler: '',
        createdAtNs: this.nowNs().toString(),
        phase: 'ready',
        ip: network.ip ?? '',
        ...(network.netnsPath !== undefined && { netnsPath: network.netnsPath }),
        ...('pausePid' in holder
          ? { pausePid: holder.pausePid }
          : { pausePid: 0, pinnedNamespaces: holder.pinned }),
      };
      await this.store.save(record);
      this.records.set(id, record);
      return id;
    } catch (err) {
      const code = err instanceof RuntimeError ? err.code : 'Internal';
      try {
        await rollback.fail(`running sandbox ${meta.namespace}/${meta.name}`, err);
      } catch (rolledBack) {
        throw new RuntimeError(code, messageOf(rolledBack), { cause: err });
      }
      throw err;
    }
  }

  /**
   * Builds the demo images (busybox and pause, from the host's busybox) with the first sandbox
   * when the pause image is the demo's, pinned or not: the demo's pods expect them from then on.
   */
  private async ensureDemoImages(): Promise<void> {
    const { images, pauseImage, pauseImageIsDemo } = this.options;
    if (!pauseImageIsDemo || images.ensureDemoImages === undefined) return;
    if ((await images.status(pauseImage)) === undefined) await images.ensureDemoImages();
  }

  /** The directory the pod's namespaces are pinned in, made empty. */
  private async nsDir(id: string): Promise<string> {
    const dir = join(this.store.dirOf(id), 'ns');
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Mounts the pause image as the pause container's rootfs, and reads what its spec needs. */
  private async preparePauseRootfs(id: string): Promise<PauseRootfs> {
    const { runner, images, pauseImage } = this.options;
    if ((await images.status(pauseImage)) === undefined) {
      if (!this.options.pauseImageIsDemo || images.ensureDemoImages === undefined) {
        throw new RuntimeError(
          'FailedPrecondition',
          `the pause image ${pauseImage} is not present: pull or import it`,
        );
      }
      await images.ensureDemoImages();
    }
    const rootfs = await runner.mountRootfs(this.pauseDir(id), await images.layersFor(pauseImage));
    const image = await images.configFor(pauseImage);
    const user = await resolveUser(
      rootfs,
      image.User !== undefined ? { imageUser: image.User } : {},
    );
    return { rootfs, image, user };
  }

  private async startPause(
    record: PauseContainer,
    config: PodSandboxConfig,
    { rootfs, image, user }: PauseRootfs,
  ): Promise<number> {
    const { runner } = this.options;
    const pauseDir = this.pauseDir(record.id);
    const namespaces = pauseNamespaces(record.modes, record.netnsPath);
    const spec = containerSpec({
      rootfs,
      // The sandbox's own readonly_rootfs is the pause container's, as containerd applies it.
      readonlyRootfs: config.linux?.security_context?.readonly_rootfs ?? false,
      args: containerArgs({
        command: [],
        args: [],
        entrypoint: image.Entrypoint ?? [],
        cmd: image.Cmd ?? [],
      }),
      env: containerEnv(image.Env ?? [], [], { hostname: record.hostname, home: user.home }),
      cwd: image.WorkingDir || '/',
      user,
      privileged: false,
      capabilities: { add: [], drop: [], addAmbient: [] },
      lastCap: runner.lastCap,
      boundingSet: runner.boundingSet,
      noNewPrivileges: true,
      ...(namespaces.uts === 'new' && { hostname: record.hostname }),
      namespaces,
      mounts: containerMounts({ privileged: false, requested: [] }),
      rootfsPropagation: 'rprivate',
      limits: {},
      ownOomScoreAdj: runner.ownOomScoreAdj,
      nofileLimit: runner.nofileLimit,
      cgroupsPath: `${record.cgroupParent}/${record.id}`,
      sysctls: stringMap(config.linux?.sysctls),
    });
    const pid = await runner.create(
      record.id,
      `${record.namespace}_${record.name}_pause`,
      pauseDir,
      spec,
      join(pauseDir, 'pause.log'),
    );
    await runner.start(record.id);
    return pid;
  }

  /** Stops the pause process, then has its rootfs unmounted and the OCI runtime forget it. */
  private async stopPauseAndRelease(id: string): Promise<void> {
    await this.stopPause(id);
    await this.options.runner.destroy(id, this.pauseDir(id));
  }

  private async stopPause(id: string): Promise<void> {
    const { runner } = this.options;
    const pauseDir = this.pauseDir(id);
    if (
      (await runner.exitStatus(id, pauseDir)) !== undefined ||
      !(await runner.monitorAlive(pauseDir))
    )
      return;
    await runner
      .kill(id, 'TERM')
      .catch((err: unknown) => this.log(`stopping the pause of ${id}: ${messageOf(err)}`));
    if ((await runner.waitForExit(id, pauseDir, pauseStopMs)) !== undefined) return;
    await runner
      .kill(id, 'KILL', true)
      .catch((err: unknown) => this.log(`killing the pause of ${id}: ${messageOf(err)}`));
    if (
      (await runner.waitForExit(id, pauseDir, 10_000)) === undefined &&
      (await runner.monitorAlive(pauseDir))
    ) {
      throw new RuntimeError(
        'Internal',
        `the pause process of sandbox ${id} did not exit after SIGKILL`,
      );
    }
  }

  /**
   * Everything but the record: pause container, rootfs, pod files, network, cgroup parent. Safe
   * on a sandbox whose creation stopped anywhere; `cgroup` is undefined when no record says whose
   * cgroup parent it is (a creation cut short by a crash: then it was skiff's own).
   */
  private async destroyKernelState(id: string, cgroup: CgroupOwnership | undefined): Promise<void> {
    await together([
      this.destroyPauseAndCgroup(id, cgroup),
      releasePodFiles(this.store.dirOf(id)),
      this.options.network.tearDown(id),
    ]);
  }

  /**
   * The pins or the pause container (killed if it still runs) with its rootfs, and skiff's cgroup
   * parent. Both kinds are tried: a creation cut short leaves no record saying which it made.
   */
  private async destroyPauseAndCgroup(
    id: string,
    cgroup: CgroupOwnership | undefined,
  ): Promise<void> {
    const ns = join(this.store.dirOf(id), 'ns');
    await unpinNamespaces({ ipc: join(ns, 'ipc'), uts: join(ns, 'uts') });
    await this.options.runner.destroy(id, this.pauseDir(id));
    const parent =
      cgroup?.ownsCgroupParent === false ? undefined : (cgroup?.cgroupParent ?? `/skiff/${id}`);
    if (parent !== undefined) await this.options.runner.cgroups.remove(parent);
  }

  /**
   * Ready while the record says so and (for a pod with one) the pause process is alive. `exitFiles` (one listing for a
   * whole list) spares reading the exit file of a pause that has none.
   */
  private async phaseOf(record: SandboxRecord, exitFiles?: ExitFileListing): Promise<SandboxPhase> {
    // Pinned namespaces have no process to die: the sandbox is what its record says.
    if (record.phase !== 'ready' || record.pinnedNamespaces !== undefined) return record.phase;
    const pauseDir = this.pauseDir(record.id);
    const mayHaveExited = exitFiles === undefined || (await exitFiles()).has(record.id);
    const exited =
      mayHaveExited && (await this.options.runner.exitStatus(record.id, pauseDir)) !== undefined;
    if (exited || !(await this.options.runner.monitorAlive(pauseDir))) return 'notready';
    return 'ready';
  }

  private pauseDir(id: string): string {
    return join(this.store.dirOf(id), 'pause');
  }

  private require(id: string): SandboxRecord {
    const record = this.records.get(id);
    if (record === undefined)
      throw new RuntimeError('NotFound', `sandbox ${JSON.stringify(id)} not found`);
    return record;
  }

  private resolve(idOrPrefix: string): string {
    return resolveId(this.records.keys(), idOrPrefix, 'sandbox');
  }

  private nowNs(): bigint {
    return BigInt(Math.round(this.clock.now())) * 1_000_000n;
  }
}

function namespaceHolderOf(record: SandboxRecord): PodNamespaceHolder {
  return record.pinnedNamespaces !== undefined
    ? { pinned: record.pinnedNamespaces }
    : { pausePid: record.pausePid };
}

function podFilesInput(
  config: PodSandboxConfig,
  hostname: string,
  ip: string | undefined,
  modes: PodNamespaceModes,
): PodFilesInput {
  const dns = config.dns_config ?? undefined;
  return {
    hostname,
    ...(ip !== undefined && { ip }),
    ...(dns != null && {
      dns: {
        servers: dns.servers ?? [],
        searches: dns.searches ?? [],
        options: dns.options ?? [],
      },
    }),
    hostIpc: modes.ipc === 'NODE',
  };
}

function podNamespaceModes(config: PodSandboxConfig): PodNamespaceModes {
  const options = config.linux?.security_context?.namespace_options ?? undefined;
  return {
    network: namespaceMode(options?.network),
    // Unset means POD for network and IPC, but CONTAINER for PID: Kubernetes' default is that
    // containers do not see each other's processes unless shareProcessNamespace is set.
    pid: options == null ? 'CONTAINER' : namespaceMode(options.pid),
    ipc: namespaceMode(options?.ipc),
  };
}

/** The sandbox's port mappings that ask for a host port (0 means none, not "any"). */
function hostPortMappings(config: PodSandboxConfig): HostPortMapping[] {
  return (config.port_mappings ?? [])
    .filter((m) => (m.host_port ?? 0) > 0)
    .map((m) => ({
      protocol: protocolName(m.protocol),
      hostPort: m.host_port ?? 0,
      containerPort: m.container_port ?? 0,
      hostIp: m.host_ip ?? '',
    }));
}

function protocolName(value: Protocol | null | undefined): HostPortMapping['protocol'] {
  const name =
    typeof value === 'number' ? (['TCP', 'UDP', 'SCTP'][value] ?? 'TCP') : (value ?? 'TCP');
  return name.toLowerCase() as HostPortMapping['protocol'];
}
