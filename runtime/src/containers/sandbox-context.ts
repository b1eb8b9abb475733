// What a container needs to know about its pod sandbox. The sandbox manager provides it; the
// container manager never reaches into sandbox records itself, which keeps the two free of a
// dependency cycle (the sandbox manager does call into containers, to stop and remove them).
import type { PodFiles, PodNamespaceHolder, PodNamespaceModes } from '../linux/index.js';

export interface SandboxContext {
  readonly id: string;
  /** The pod's namespaces are held and the network is set up: containers may be created. */
  readonly ready: boolean;
  /** Who holds the IPC, UTS (and maybe PID) namespaces containers join. */
  readonly namespaceHolder: PodNamespaceHolder;
  /** The pod's network namespace; undefined for hostNetwork pods. */
  readonly netnsPath: string | undefined;
  readonly modes: PodNamespaceModes;
  readonly hostname: string;
  /** The kubelet's log directory for the pod (may be empty: logs then stay in the state dir). */
  readonly logDirectory: string;
  readonly cgroupParent: string;
  readonly podFiles: PodFiles;
}

/** Where images come from: ImageStore fits. */
export interface ImageSource {
  status(
    image: string,
  ): Promise<{ readonly id: string; readonly repoDigests: readonly string[] } | undefined>;
  layersFor(image: string): Promise<string[]>;
  configFor(image: string): Promise<{
    readonly User?: string;
    readonly Env?: readonly string[];
    readonly Entrypoint?: readonly string[];
    readonly Cmd?: readonly string[];
    readonly WorkingDir?: string;
    readonly StopSignal?: string;
  }>;
}
