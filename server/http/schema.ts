// The `t` every HTTP route schema is written with: Elysia's own, except that an object refuses
// keys it does not declare unless it says otherwise (as protocol/typebox.ts does for the socket).
// The app runs with `normalize: false`, so an unknown key at any depth is a 400 INVALID_INPUT
// rather than silently dropped; server/http/closed.test.ts walks the OpenAPI document and fails on
// any open object.
import type { ObjectOptions, TObject, TProperties } from '@sinclair/typebox';
import { t as elysiaT } from 'elysia';

const closedObject = <Properties extends TProperties>(properties: Properties, options?: ObjectOptions): TObject<Properties> =>
  elysiaT.Object(properties, { additionalProperties: false, ...options });

export const t: typeof elysiaT = Object.assign(Object.create(elysiaT) as typeof elysiaT, { Object: closedObject });
