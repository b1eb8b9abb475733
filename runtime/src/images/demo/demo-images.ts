// Two images made on the node from its own busybox, so the quick start and the tests run real
// containers with no registry and no download:
//
//   skiff.local/busybox:latest  Cmd ["sh"]; /bin/busybox, applet links, /etc/passwd, /etc/group
//   skiff.local/pause:latest    Entrypoint ["/pause"]: a layer of its one file, pause-elf.ts's
//                               static ELF (on x86-64; elsewhere the busybox layer and a
//                               busybox-sh pause loop, PAUSE_SCRIPT)
//
// Everything in a layer has fixed owners and mtime 0, so the same busybox binary always yields
// the same image IDs.
import { readFile } from 'node:fs/promises';
import {
  buildImage,
  buildLayer,
  ociLayoutArchive,
  type BuiltImage,
} from '../build/image-builder.js';
import type { TarWriteEntry } from '../tar/writer.js';
import type { BusyboxBinary } from './busybox-binary.js';
import { pauseElf, pauseElfRunsOn } from './pause-elf.js';

export const DEMO_IMAGE = 'skiff.local/busybox:latest';
export const PAUSE_IMAGE = 'skiff.local/pause:latest';

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The applets linked into /bin, when this busybox build has them. */
const APPLETS = (
  'sh ash ls cat sleep echo wget httpd nc ps hostname id env top mkdir rmdir rm cp mv ln touch ' +
  'chmod chown grep sed awk head tail wc sort uniq cut tr tee xargs find test [ true false printf ' +
  'pwd date uname whoami kill free uptime df du mount umount ip ifconfig ping nslookup netstat vi ' +
  'less more tar gzip gunzip zcat sha256sum md5sum stat readlink realpath basename dirname seq ' +
  'yes timeout watch which dd od hexdump telnet'
).split(' ');

/**
 * The pause process where pause-elf.ts's does not run: PID 1 of a pod sandbox. It must sleep
 * forever, exit promptly on SIGTERM or SIGINT (PID 1 gets no default signal handlers, hence the
 * trap), and reap zombies of a shared PID namespace: ash's `wait` reaps any child, including
 * orphans reparented to it.
 */
export const PAUSE_SCRIPT = "trap 'exit 0' TERM INT; while :; do sleep 2147483647 & wait $!; done";

const ROOTFS_DIRS: readonly [string, number][] = [
  ['bin/', 0o755],
  ['dev/', 0o755],
  ['etc/', 0o755],
  ['home/', 0o755],
  ['proc/', 0o555],
  ['root/', 0o700],
  ['sys/', 0o555],
  ['tmp/', 0o1777],
  ['usr/', 0o755],
  ['usr/bin/', 0o755],
  ['var/', 0o755],
  ['var/tmp/', 0o1777],
];

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'www-data:x:33:33:www-data:/var/www:/bin/false',
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
  '',
].join('\n');

const GROUP = ['root:x:0:', 'daemon:x:1:', 'www-data:x:33:', 'nogroup:x:65534:', ''].join('\n');

export interface DemoImages {
  readonly busybox: BuiltImage;
  readonly pause: BuiltImage;
}

/** `arch`: Node's name for the machine the images are for (process.arch). */
export async function buildDemoImages(
  busybox: BusyboxBinary,
  arch: string = process.arch,
): Promise<DemoImages> {
  const entries: TarWriteEntry[] = [
    ...ROOTFS_DIRS.map(([path, mode]): TarWriteEntry => ({ path, type: 'directory', mode })),
    { path: 'bin/busybox', mode: 0o755, data: await readFile(busybox.path) },
    ...APPLETS.filter((a) => busybox.applets.has(a)).map((a): TarWriteEntry => ({
      path: `bin/${a}`,
      type: 'symlink',
      linkname: 'busybox',
      mode: 0o777,
    })),
    { path: 'etc/passwd', data: PASSWD },
    { path: 'etc/group', data: GROUP },
    { path: 'etc/hostname', data: 'skiff\n' },
  ];
  const layer = buildLayer({ entries, gzip: true });
  const labels = { 'org.opencontainers.image.source': 'skiff: built from the host busybox' };
  const pauseConfig = { Env: [PATH], WorkingDir: '/', StopSignal: 'SIGTERM', Labels: labels };
  return {
    busybox: buildImage([layer], { Env: [PATH], Cmd: ['sh'], WorkingDir: '/', Labels: labels }),
    pause: pauseElfRunsOn(arch)
      ? buildImage(
          [buildLayer({ entries: [{ path: 'pause', mode: 0o755, data: pauseElf() }], gzip: true })],
          {
            ...pauseConfig,
            Entrypoint: ['/pause'],
            Labels: {
              'org.opencontainers.image.source': 'skiff: runtime/src/images/demo/pause-elf.ts',
            },
          },
        )
      : buildImage([layer], { ...pauseConfig, Entrypoint: ['/bin/sh', '-c', PAUSE_SCRIPT] }),
  };
}

/** Both images as one OCI layout tarball, ready for ImageStore.import. */
export function demoArchive(images: DemoImages): Buffer {
  return ociLayoutArchive([
    { image: images.busybox, name: DEMO_IMAGE },
    { image: images.pause, name: PAUSE_IMAGE },
  ]);
}
