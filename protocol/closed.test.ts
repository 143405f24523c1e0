// Every schema of the wire is closed at every depth: an object names all its keys and refuses
// others, a map's values are themselves closed, and nothing is "any value" except the envelope
// payloads whose schema the catalogue gives. A handler can therefore trust that a body holds
// only what its schema declares (the profile.update hole was a nested `location` with extra keys).
import { Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { expect, test } from 'vitest';
import { Calls, requestCheckers, Topics } from './catalogue.ts';
import { ClientFrames, ServerFrames } from './frames.ts';

/** Envelope payloads: their schemas are the catalogue's, checked by the gateway and the client. */
const PAYLOADS = new Set(['frame call/body', 'frame reply/body', 'frame event/body', 'frame signal/body', 'frame error/details/*']);

function openPlaces(schema: TSchema, path: string, found: string[]) {
  const kind = (schema as { [Kind]?: string })[Kind];
  if (kind === 'Unknown' || kind === 'Any') {
    if (!PAYLOADS.has(path)) found.push(`${path}: ${kind} accepts anything`);
    return;
  }
  if (schema.type === 'object' || kind === 'Object' || kind === 'Record') {
    if (schema.patternProperties !== undefined) {
      for (const value of Object.values(schema.patternProperties as Record<string, TSchema>)) openPlaces(value, `${path}/*`, found);
    } else if (schema.additionalProperties !== false) found.push(`${path}: object without additionalProperties: false`);
    for (const [key, value] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>))
      openPlaces(value, `${path}/${key}`, found);
  }
  if (schema.items !== undefined) openPlaces(schema.items as TSchema, `${path}[]`, found);
  for (const group of ['anyOf', 'allOf', 'oneOf'] as const)
    for (const [index, member] of ((schema[group] ?? []) as TSchema[]).entries()) openPlaces(member, `${path}|${index}`, found);
}

function everySchema(): [string, TSchema][] {
  const all: [string, TSchema][] = [];
  for (const [name, spec] of Object.entries(Calls)) all.push([`${name} request`, spec.request], [`${name} response`, spec.response]);
  for (const [kind, topic] of Object.entries(Topics))
    for (const [event, spec] of Object.entries(topic.events)) all.push([`${kind} ${event}`, spec.body]);
  for (const [type, schema] of [...Object.entries(ClientFrames), ...Object.entries(ServerFrames)]) all.push([`frame ${type}`, schema]);
  return all;
}

test('protocol: every object in every call, event and frame schema refuses unknown keys, at every depth', () => {
  const found: string[] = [];
  const all = everySchema();
  for (const [name, schema] of all) openPlaces(schema, name, found);
  expect(all.length).toBeGreaterThan(100);
  expect(found).toEqual([]);
});

test('protocol: the walker finds an open object wherever it hides', () => {
  const found: string[] = [];
  const open = { type: 'object', properties: { x: { type: 'string' } } } as unknown as TSchema;
  const nested = {
    type: 'object',
    additionalProperties: false,
    properties: { deep: { anyOf: [{ type: 'null' }, { type: 'array', items: open }] } },
  };
  openPlaces(nested as unknown as TSchema, 'nested', found);
  expect(found).toEqual(['nested/deep|1[]: object without additionalProperties: false']);
});

test('profile.update: extra keys nested in location are INVALID_BODY before any handler runs', () => {
  const checker = requestCheckers['profile.update'];
  const location = { latitude: 19.43, longitude: -99.13, placeName: 'CDMX' };
  expect(checker.Check({ location })).toBe(true);
  for (const extra of ['userId', 'displayName', 'verifiedAt', 'avatarMediaId'])
    expect(checker.Check({ location: { ...location, [extra]: 'x' } })).toBe(false);
  expect(Value.Check(Calls['profile.update'].request, { bio: 'hi', role: 'admin' })).toBe(false);
});
