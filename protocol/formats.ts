// The string formats the catalogue uses, registered with TypeBox so that schema checks mean the
// same thing everywhere (the server's gateway, tests, a client): TypeBox rejects a format nobody
// registered. TypeBox's registry is one per process and others write to it too: @elysiajs/openapi,
// when loaded, sets `uuid`, `date` and `date-time` to checks that build a Zod schema for every
// value checked (a chats.send body took 22.7 µs to check instead of 0.4). The server
// registers these again once everything is loaded (server/http/app.ts), so these are the ones used.
import { FormatRegistry } from '@sinclair/typebox';

export const FORMATS: Record<string, (value: string) => boolean> = {
  uuid: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  date: (value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (match === null) return false;
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  },
  'date-time': (value) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)),
};

/** Sets the catalogue's formats in TypeBox's registry, replacing what another library set. */
export function registerFormats(): void {
  for (const [name, check] of Object.entries(FORMATS)) FormatRegistry.Set(name, check);
}

registerFormats();
