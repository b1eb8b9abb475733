// A kubeconfig, as kubectl reads it: named clusters (where and how to trust), named users (how
// to authenticate), named contexts (a cluster + a user + a default namespace) and the current
// context. Names map to entries, so files merge by name (./merge.ts). File paths inside are
// already absolute here: a relative path means "next to the kubeconfig that said it".

export interface KubeconfigCluster {
  readonly server?: string;
  readonly certificateAuthority?: string;
  /** Base64 of PEM, as in the file. */
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
  /**
   * `extensions: [{name, extension}]`: what tools put beside a cluster for themselves (kubectl
   * keeps them untouched), by name. `skiff up` records its scheduler's URL in one.
   */
  readonly extensions?: ReadonlyMap<string, unknown>;
}

export interface KubeconfigUser {
  readonly token?: string;
  readonly tokenFile?: string;
  readonly clientCertificate?: string;
  readonly clientCertificateData?: string;
  readonly clientKey?: string;
  readonly clientKeyData?: string;
  readonly username?: string;
  readonly password?: string;
  /** `exec` or `auth-provider`: kubectl plugins skiff does not run; set to say which. */
  readonly unsupported?: string;
}

export interface KubeconfigContext {
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
}

export interface Kubeconfig {
  readonly clusters: ReadonlyMap<string, KubeconfigCluster>;
  readonly users: ReadonlyMap<string, KubeconfigUser>;
  readonly contexts: ReadonlyMap<string, KubeconfigContext>;
  readonly currentContext?: string;
}
