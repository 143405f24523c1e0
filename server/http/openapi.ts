// The OpenAPI document's request bodies. Every JSON body goes through the app's own strict parser
// (body.ts), a function hook, and @elysiajs/openapi writes a body's schema only for parsers it
// knows by name: without this, every requestBody in /openapi/json came out with empty `content`.
// Each route that declares a body schema gets it back here as `application/json`.

interface Operation {
  requestBody?: { content?: Record<string, unknown> };
}
interface Route {
  method: string;
  path: string;
  hooks: { body?: unknown };
}

/** Elysia's `/users/:id` is OpenAPI's `/users/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Fills the empty request bodies of `document` from the routes' schemas; returns the document. */
export function withRequestBodies<D extends { paths?: Record<string, Record<string, Operation>> }>(
  document: D,
  routes: readonly Route[],
): D {
  for (const route of routes) {
    if (route.hooks.body === undefined) continue;
    const operation = document.paths?.[openApiPath(route.path)]?.[route.method.toLowerCase()];
    const body = operation?.requestBody;
    if (body === undefined || Object.keys(body.content ?? {}).length > 0) continue;
    body.content = { 'application/json': { schema: route.hooks.body } };
  }
  return document;
}
