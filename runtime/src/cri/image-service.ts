// runtime.v1.ImageService over the ImageStore: list, status, pull, remove and filesystem info,
// each a translation of the request into one store call and of its answer into CRI messages.
import type { ImageServiceHandlers } from '@skiff/proto';
import { ImageError, type ImageStore } from '../images/index.js';
import { criFilesystemUsage, criImage, imageVerboseInfo, registryAuth } from './image-messages.js';
import type { RuntimeMetrics } from './metrics.js';
import { serveUnary } from './unary.js';

function imageName(spec: { image: string } | null): string {
  const name = spec?.image ?? '';
  if (name === '') throw new ImageError('InvalidArgument', 'image.image is required');
  return name;
}

export function imageServiceHandlers(
  images: ImageStore,
  metrics: RuntimeMetrics,
): ImageServiceHandlers {
  const serve = <Req, Res>(name: string, fn: (request: Req) => Promise<Res>) =>
    serveUnary(name, metrics, fn);
  return {
    ListImages: serve('ListImages', async (request) => ({
      images: (await images.list(request.filter?.image?.image ?? '')).map(criImage),
    })),
    ImageStatus: serve('ImageStatus', async (request) => {
      // CRI: a missing image is not an error; the response simply has no image.
      const info = await images.status(imageName(request.image));
      if (info === undefined) return { image: null, info: {} };
      return { image: criImage(info), info: request.verbose ? imageVerboseInfo(info) : {} };
    }),
    PullImage: serve('PullImage', async (request) => {
      const auth = registryAuth(request.auth);
      const info = await images.pull(imageName(request.image), auth === undefined ? {} : { auth });
      return { image_ref: info.id };
    }),
    RemoveImage: serve('RemoveImage', async (request) => {
      // Removing an image that is not there succeeds: the kubelet's image GC may race itself.
      await images.remove(imageName(request.image));
      return {};
    }),
    ImageFsInfo: serve('ImageFsInfo', async () => ({
      image_filesystems: [criFilesystemUsage(await images.fsInfo())],
      container_filesystems: [],
    })),
  };
}
