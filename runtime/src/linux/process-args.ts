// What a container runs, and with which environment, from the image config overridden by the
// container config. The precedence is Kubernetes' (command ≈ Entrypoint, args ≈ Cmd): setting
// command drops the image's Cmd too, setting only args keeps the Entrypoint.

export interface ArgsInput {
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
}

export function containerArgs(input: ArgsInput): string[] {
  let argv: string[];
  if (input.command.length > 0) argv = [...input.command, ...input.args];
  else if (input.args.length > 0) argv = [...input.entrypoint, ...input.args];
  else argv = [...input.entrypoint, ...input.cmd];
  if (argv.length === 0) {
    throw new Error('no command: neither the container config nor the image sets one');
  }
  return argv;
}

const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The image's Env, then the config's envs (a later key replaces an earlier one in place), then
 * what every container gets unless set: PATH, HOSTNAME (as containerd adds it) and HOME.
 */
export function containerEnv(
  imageEnv: readonly string[],
  configEnv: readonly { key: string; value: string }[],
  defaults: { hostname: string; home: string },
): string[] {
  const env = new Map<string, string>();
  for (const entry of imageEnv) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const { key, value } of configEnv) {
    if (key !== '') env.set(key, value);
  }
  if (!env.has('PATH')) env.set('PATH', defaultPath.slice('PATH='.length));
  if (!env.has('HOSTNAME') && defaults.hostname !== '') env.set('HOSTNAME', defaults.hostname);
  if (!env.has('HOME')) env.set('HOME', defaults.home);
  return [...env].map(([key, value]) => `${key}=${value}`);
}
