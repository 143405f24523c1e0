// GET /protocol/schema.json: the protocol as one JSON Schema document (protocol/json-schema.ts),
// public like PROTOCOL.md. It changes only with a deployment, so it is cacheable: the ETag is the
// document's revision and a matching If-None-Match is answered 304 without the body.
import { Elysia } from 'elysia';
import { protocolJsonSchema } from '../../protocol/json-schema.ts';

const PROTOCOL_SCHEMA_PATH = '/protocol/schema.json';

export function protocolSchemaRoutes() {
  const { document, revision } = protocolJsonSchema();
  const text = JSON.stringify(document);
  const etag = `"${revision}"`;
  const headers = { etag, 'cache-control': 'public, max-age=300' };
  return new Elysia().get(
    PROTOCOL_SCHEMA_PATH,
    ({ headers: request }) => {
      const wanted = request['if-none-match']?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
      if (wanted?.includes(etag) || wanted?.includes('*')) return new Response(null, { status: 304, headers });
      return new Response(text, { headers: { ...headers, 'content-type': 'application/schema+json' } });
    },
    {
      detail: {
        tags: ['protocol'],
        summary: 'The WebSocket protocol as JSON Schema',
        description:
          'One JSON Schema (draft 2020-12) document describing every frame, call, topic event, error code, close code and limit of the WebSocket protocol, for validating frames and generating code. `version` is the protocol version; `revision` (also the ETag) changes with any change. No authentication.',
        responses: {
          200: {
            description: 'The schema document',
            content: { 'application/schema+json': { schema: { type: 'object', description: 'A JSON Schema document' } } },
          },
          304: { description: 'Not modified: the If-None-Match ETag is the current revision' },
        },
      },
    },
  );
}
