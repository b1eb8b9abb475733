// /openapi/v2 answers in gnostic protobuf when the client asks for it (client-go's discovery
// always does) and in JSON otherwise (curl, tools that read the Swagger document).
import type { Request, Response } from 'express';
import { sendJson } from '../http/respond.js';
import {
  encodeGnosticV2,
  OPENAPI_V2_PROTOBUF,
  OPENAPI_V2_PROTOBUF_ANSWER,
  type V2Document,
} from './gnostic-v2.js';

export function sendOpenApiV2(req: Request, res: Response, doc: V2Document): void {
  const accept = (req.headers.accept ?? '').toLowerCase();
  if (accept.includes(OPENAPI_V2_PROTOBUF) || accept.includes(OPENAPI_V2_PROTOBUF_ANSWER)) {
    const bytes = encodeGnosticV2(doc);
    res.status(200).type(OPENAPI_V2_PROTOBUF_ANSWER).send(Buffer.from(bytes));
    return;
  }
  sendJson(res, 200, doc);
}
