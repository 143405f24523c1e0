// The pieces every configuration section is built from: a declared variable (name, one line of
// documentation, example, parser) and the parsers that turn a raw string into a typed value or a
// ConfigError that names the variable and what it expects.
import { ConfigError } from '../errors.ts';

export type Env = Record<string, string | undefined>;

export interface Variable<T> {
  name: string;
  /** One line for .env.example. */
  doc: string;
  /** Written to .env.example; absent means "unset by default". */
  example?: string;
  /** Set in .env.example but commented out, to show the shape of a value with no default. */
  commentedExample?: string;
  parse(raw: string | undefined, env: Env): T;
}

export const expected = (name: string, what: string, raw: string) =>
  new ConfigError(`${name} must be ${what} (got ${JSON.stringify(raw)})`, { variable: name });

export function integer(name: string, min: number, max: number, fallback: number) {
  return (raw: string | undefined): number => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw expected(name, `an integer from ${min} to ${max}`, raw);
    }
    return value;
  };
}

export function optionalUrl(name: string, protocols: readonly string[]) {
  return (raw: string | undefined): string | undefined => {
    if (raw === undefined || raw.trim() === '') return undefined;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw expected(name, `a URL (${protocols.map((p) => `${p}//…`).join(' or ')})`, raw);
    }
    if (!protocols.includes(url.protocol)) {
      throw expected(name, `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`, raw);
    }
    return raw.trim();
  };
}

export function text(name: string, fallback: string, pattern = /^.+$/, what = 'a non-empty string') {
  return (raw: string | undefined): string => {
    if (raw === undefined || raw === '') return fallback;
    if (!pattern.test(raw)) throw expected(name, what, raw);
    return raw;
  };
}

export function optionalText(name: string, pattern = /^.+$/s, what = 'a non-empty string') {
  return (raw: string | undefined): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    if (!pattern.test(raw)) throw expected(name, what, raw);
    return raw;
  };
}

export function oneOf<T extends string>(name: string, values: readonly T[], fallback: T) {
  return (raw: string | undefined): T => {
    if (raw === undefined || raw === '') return fallback;
    if (!(values as readonly string[]).includes(raw)) throw expected(name, `one of ${values.join(', ')}`, raw);
    return raw as T;
  };
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password !== '') url.password = '***';
  return url.toString();
}
