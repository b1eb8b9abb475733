// Endpoints that are not resources: discovery, OpenAPI, /version, health checks and /metrics.
import { Router, type Request, type Response } from 'express';
import type { CustomResourceDefinition, KindInfo } from '@skiff/api';
import { apiErrors } from '@skiff/api';
import { sendError, type Logger } from '../http/error-response.js';
import { sendJson } from '../http/respond.js';
import type { Registries } from '../http/scope.js';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from '../routing/discovery.js';
import { sendOpenApiV2 } from '../openapi/v2-response.js';
import { openApiV2Document, openApiV3Document, openApiV3Root } from '../openapi/documents.js';
import { metricsKinds } from '../metrics-api/metrics-kinds.js';
import {
  METRICS_OPENAPI_PATH,
  metricsOpenApiV3,
  withMetricsEntry,
} from '../metrics-api/openapi.js';
import type { ServedKinds } from '../routing/served-kinds.js';
import type { ApiMetrics } from './metrics.js';
import type { CheckResult, Readiness } from './readiness.js';
import { SERVER_GIT_VERSION, versionInfo } from './version.js';

export interface NonResourceDeps {
  readonly registries: Registries;
  readonly kinds: ServedKinds;
  /** The CRDs served right now, whose schemas OpenAPI publishes. */
  readonly customResourceDefinitions: () => readonly CustomResourceDefinition[];
  readonly metrics: ApiMetrics;
  readonly readiness: Readiness;
  readonly log: Logger;
}

function found(res: Response, body: object | undefined): void {
  if (!body) throw apiErrors.pathNotFound();
  sendJson(res, 200, body);
}

/** Health answers are plain text: `ok`, or Kubernetes' `[+]check ok` / `[-]check failed` lines. */
function sendHealth(req: Request, res: Response, checks: CheckResult[], name: string): void {
  const healthy = checks.every((c) => c.ok);
  const verbose = 'verbose' in req.query || !healthy;
  const lines = checks.map((c) =>
    c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.reason ?? ''}`,
  );
  const text = verbose
    ? `${lines.join('\n')}\n${name} check ${healthy ? 'passed' : 'failed'}\n`
    : 'ok';
  res
    .status(healthy ? 200 : 500)
    .type('text/plain')
    .send(text);
}

export function nonResourceRoutes(deps: NonResourceDeps): Router {
  const router = Router();
  const kinds = (): readonly KindInfo[] => deps.kinds.all();
  // Discovery also lists metrics.k8s.io, which ../metrics-api serves without storage or schema.
  const discovered = (): readonly KindInfo[] => [...kinds(), ...metricsKinds];
  const metricsDocument = () =>
    metricsOpenApiV3(
      openApiV3Document(kinds(), crds(), '', 'v1', SERVER_GIT_VERSION),
      SERVER_GIT_VERSION,
    );
  const crds = (): readonly CustomResourceDefinition[] => deps.customResourceDefinitions();
  const wrap =
    (handler: (req: Request, res: Response) => void | Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await handler(req, res);
      } catch (err) {
        sendError(res, err, deps.log, `${req.method} ${req.path}`);
      }
    };

  router.get(
    '/api',
    wrap((req, res) => found(res, apiVersions(kinds(), req.headers.host ?? ''))),
  );
  router.get(
    '/apis',
    wrap((_req, res) => found(res, apiGroupList(discovered()))),
  );
  router.get(
    '/api/:version',
    wrap((req, res) => found(res, apiResourceList(kinds(), '', String(req.params.version)))),
  );
  router.get(
    '/apis/:group',
    wrap((req, res) => found(res, apiGroupDocument(discovered(), String(req.params.group)))),
  );
  router.get(
    '/apis/:group/:version',
    wrap((req, res) =>
      found(
        res,
        apiResourceList(discovered(), String(req.params.group), String(req.params.version)),
      ),
    ),
  );
  router.get(
    '/version',
    wrap((_req, res) => sendJson(res, 200, versionInfo())),
  );
  router.get(
    '/openapi/v2',
    wrap((req, res) =>
      sendOpenApiV2(req, res, openApiV2Document(kinds(), crds(), SERVER_GIT_VERSION)),
    ),
  );
  router.get(
    '/openapi/v3',
    wrap((_req, res) =>
      sendJson(
        res,
        200,
        withMetricsEntry(openApiV3Root(kinds(), crds(), SERVER_GIT_VERSION), metricsDocument()),
      ),
    ),
  );
  router.get(
    '/openapi/v3/api/:version',
    wrap((req, res) =>
      found(
        res,
        openApiV3Document(kinds(), crds(), '', String(req.params.version), SERVER_GIT_VERSION),
      ),
    ),
  );
  router.get(
    '/openapi/v3/apis/:group/:version',
    wrap((req, res) =>
      found(
        res,
        `apis/${String(req.params.group)}/${String(req.params.version)}` === METRICS_OPENAPI_PATH
          ? metricsDocument()
          : openApiV3Document(
              kinds(),
              crds(),
              String(req.params.group),
              String(req.params.version),
              SERVER_GIT_VERSION,
            ),
      ),
    ),
  );
  router.get(
    '/livez',
    wrap((req, res) => sendHealth(req, res, [{ name: 'ping', ok: true }], 'livez')),
  );
  router.get(
    ['/healthz', '/readyz'],
    wrap(async (req, res) => sendHealth(req, res, await deps.readiness.check(), req.path.slice(1))),
  );
  router.get(
    '/metrics',
    wrap(async (_req, res) => {
      const text = await deps.metrics.registry.metrics();
      res.status(200).type(deps.metrics.registry.contentType).send(text);
    }),
  );
  return router;
}
